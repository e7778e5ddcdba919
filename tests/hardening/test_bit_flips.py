"""Single-bit flips across the whole catalog file: refused, or the very same answers.

For a sample of byte positions in every page of the bundled database, one bit is flipped in a
copy. Opening the copy must either refuse it (``DataError``) or give byte-identical answers
to a fixed set of queries (every table through the repository, the class rules of every
portfolio and class on several dates, name and identifier searches through the full-text index).
A changed answer or any other exception fails the test.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from janus_gui import paths
from janus_gui.core.errors import DataError, JanusError
from janus_gui.core.repository import Repository

POSITIONS_PER_PAGE = 6
DATES = (dt.date(2006, 1, 2), dt.date(2012, 6, 1), dt.date(2020, 6, 1))
SEARCHES = ("Overseas", "Global Technology", "Retirement", "JAGTX", "471023", "Balanced")


def _answers(repo: Repository) -> list[str]:
    """The fixed queries; each answer is its repr, or the expected error it raised."""
    from janus_gui.core.asof import class_rules, redemption_fee_rule
    from janus_gui.core.lookup import search

    queries: list[Callable[[], object]] = [
        repo.meta,
        repo.documented_range,
        repo.source_documents,
        repo.portfolios,
        repo.name_rows,
        repo.securities,
        repo.rules,
        repo.events,
        repo.data_notes,
        repo.fee_table,
        repo.expense_example,
        repo.distributions,
        repo.document_dates,
        lambda: [repo.class_evidence(p.portfolio_id) for p in repo.portfolios()],
    ]
    queries += [lambda text=text: search(repo, text) for text in SEARCHES]
    answers = [_answer(query) for query in queries]
    for portfolio in repo.portfolios():
        pid = portfolio.portfolio_id
        for share_class in sorted({a.share_class for a in repo.class_evidence(pid)}):
            for on in DATES:
                for query in (class_rules, redemption_fee_rule):
                    answers.append(_answer(partial(query, repo, pid, share_class, on)))
    return answers


def _answer(query: Callable[[], object]) -> str:
    try:
        return repr(query())
    except DataError:
        raise
    except JanusError as exc:
        return f"{type(exc).__name__}: {exc}"


def _flip(source: bytes, position: int, bit: int) -> bytes:
    damaged = bytearray(source)
    damaged[position] ^= 1 << bit
    return bytes(damaged)


@pytest.fixture(scope="module")
def baseline() -> tuple[bytes, int, list[str]]:
    source = paths.database_path().read_bytes()
    repo = Repository.open(paths.database_path())
    try:
        page_size = int(repo._db.execute("PRAGMA page_size").fetchone()[0])
        return source, page_size, _answers(repo)
    finally:
        repo.close()


def test_every_sampled_bit_flip_is_refused_or_changes_nothing(
    baseline: tuple[bytes, int, list[str]], tmp_path: Path, case_tally
) -> None:
    source, page_size, expected = baseline
    chooser = random.Random(2079)
    outcome: Counter[str] = Counter()
    changed: list[str] = []
    tracebacks: list[str] = []
    copy = tmp_path / "janus.sqlite"
    pages = len(source) // page_size
    for page in range(pages):
        positions = {
            page * page_size + chooser.randrange(page_size) for _ in range(POSITIONS_PER_PAGE)
        }
        if page == 0:
            positions |= {0, 18, 19, 28, 56, 60, 100, 105}  # header fields and the schema page
        for position in sorted(positions):
            bit = chooser.randrange(8)
            copy.write_bytes(_flip(source, position, bit))
            where = f"page {page + 1}, byte {position}, bit {bit}"
            try:
                repo = Repository.open(copy)
            except DataError:
                outcome["refused at open"] += 1
                continue
            except Exception as exc:  # a user would have seen a traceback
                tracebacks.append(f"{where}: open raised {type(exc).__name__}: {exc}")
                continue
            try:
                answers = _answers(repo)
            except DataError:
                outcome["refused on query"] += 1
                continue
            except Exception as exc:
                tracebacks.append(f"{where}: {type(exc).__name__}: {exc}")
                continue
            finally:
                repo.close()
            if answers == expected:
                outcome["same answers"] += 1
            else:
                changed.append(where)
    case_tally.add("bit flips", sum(outcome.values()) + len(changed) + len(tracebacks))
    print(
        f"\nbit flips over {pages} pages: {dict(outcome)}, changed {len(changed)}, "
        f"tracebacks {len(tracebacks)}"
    )
    assert tracebacks == []
    assert changed == []
    assert outcome["refused at open"] > 0 and outcome["same answers"] > 0


def test_fts_reindex_and_meta_edit_are_refused(tmp_path: Path) -> None:
    """The two edits the old hash missed: the documented range and the full-text index."""
    import sqlite3

    overseas = "(SELECT rowid FROM portfolio_name WHERE name LIKE '%Overseas%' LIMIT 1)"
    technology = "(SELECT rowid FROM portfolio_name WHERE name LIKE '%Technology%' LIMIT 1)"
    edits = (
        "UPDATE meta SET value = '2099-12-31' WHERE key = 'documented_to';",
        # Index the Overseas name under a Global Technology row: lookups would cross over.
        "INSERT INTO portfolio_name_fts(portfolio_name_fts, rowid, name) "
        f"SELECT 'delete', rowid, name FROM portfolio_name WHERE rowid = {overseas};"
        "INSERT INTO portfolio_name_fts(rowid, name) "
        f"SELECT {technology}, name FROM portfolio_name WHERE rowid = {overseas};",
    )
    for number, sql in enumerate(edits):
        copy = tmp_path / f"copy{number}.sqlite"
        shutil.copyfile(paths.database_path(), copy)
        connection = sqlite3.connect(copy)
        connection.executescript(sql)
        connection.close()
        with pytest.raises(DataError, match="altered"):
            Repository.open(copy)


# -- files beside the database, WAL mode ---------------------------------------------------------
@pytest.mark.parametrize("suffix", ["-wal", "-journal", "-shm"])
def test_stray_file_is_refused_by_name_and_nothing_is_created(tmp_path: Path, suffix: str) -> None:
    copy = tmp_path / "janus.sqlite"
    shutil.copyfile(paths.database_path(), copy)
    stray = tmp_path / f"janus.sqlite{suffix}"
    stray.write_bytes(b"\0" * 64)
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(DataError, match=f"stray file beside it: {stray}"):
        Repository.open(copy)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_wal_mode_file_is_refused_even_in_a_read_only_folder(tmp_path: Path) -> None:
    import os

    folder = tmp_path / "ro"
    folder.mkdir()
    copy = folder / "janus.sqlite"
    data = bytearray(paths.database_path().read_bytes())
    data[18] = data[19] = 2  # the header's WAL-mode marker
    copy.write_bytes(bytes(data))
    folder.chmod(0o555)
    try:
        with pytest.raises(DataError, match="write-ahead-log"):
            Repository.open(copy)
        assert sorted(os.listdir(folder)) == ["janus.sqlite"]
    finally:
        folder.chmod(0o755)


def test_read_only_open_creates_no_file(tmp_path: Path) -> None:
    copy = tmp_path / "janus.sqlite"
    shutil.copyfile(paths.database_path(), copy)
    repo = Repository.open(copy)
    try:
        _answers(repo)
    finally:
        repo.close()
    assert [p.name for p in tmp_path.iterdir()] == ["janus.sqlite"]
