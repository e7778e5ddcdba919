"""The bundled catalog cannot be damaged or faked without the app saying so, and is never written.

Each damaged copy must give ``DataError`` naming the file and the repair (reinstall or
``janus-gui build-db``) in the core, the command line (exit 2, no traceback, empty stdout) and
the window's start-up (non-zero exit, an error dialog instead of a window).
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from janus_gui.core.errors import DataError, SchemaVersionError
from janus_gui.core.repository import Repository
from tests.helpers.hardening import ROOT, run_cli

BUNDLED = ROOT / "data" / "janus.sqlite"
PAGE = 4096


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "janus.sqlite"
    shutil.copyfile(BUNDLED, target)
    target.chmod(0o644)
    return target


def _page_size(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[16:18], "big") or 65536


def _missing(path: Path) -> None:
    path.unlink()


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _zeroed_page(path: Path) -> None:
    """Page 2 (the first page after the header page) overwritten with zeros."""
    size = _page_size(path)
    with path.open("r+b") as handle:
        handle.seek(size)
        handle.write(b"\0" * size)


def _zeroed_last_pages(path: Path) -> None:
    size = _page_size(path)
    length = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(length - 3 * size)
        handle.write(b"\0" * 3 * size)


def _edit(sql: str) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        with sqlite3.connect(path) as connection:
            connection.execute(sql)
        connection.close()

    return damage


def _not_a_database(path: Path) -> None:
    path.write_text("portfolio,share_class\nP1,Service\n", encoding="utf-8")


def _empty_file(path: Path) -> None:
    path.write_bytes(b"")


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "missing": (_missing, "missing"),
    "truncated": (_truncated, ""),
    "zeroed_page": (_zeroed_page, ""),
    "zeroed_last_pages": (_zeroed_last_pages, ""),
    "rule_summary_changed": (
        _edit(
            "UPDATE rule SET summary = summary || ' (edited)' "
            "WHERE rowid = (SELECT min(rowid) FROM rule)"
        ),
        "altered",
    ),
    "fee_rate_faked": (
        _edit(
            "UPDATE rule SET params = replace(params, '1.00%', '0.10%') "
            "WHERE kind = 'redemption_fee'"
        ),
        "altered",
    ),
    "security_deleted": (
        _edit("DELETE FROM security WHERE rowid = (SELECT min(rowid) FROM security)"),
        "altered",
    ),
    "hash_removed": (_edit("DELETE FROM meta WHERE key = 'content_sha256'"), "hash"),
    "table_dropped": (_edit("DROP TABLE data_note"), ""),
    "wrong_user_version": (_edit("PRAGMA user_version = 99"), "schema version 99"),
    "user_version_zero": (_edit("PRAGMA user_version = 0"), "schema version 0"),
    "not_a_database": (_not_a_database, ""),
    "empty_file": (_empty_file, ""),
}


@pytest.fixture(params=sorted(DAMAGE))
def damaged(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    damage, words = DAMAGE[request.param]
    path = _copy(tmp_path)
    damage(path)
    return path, words


@pytest.fixture
def restore_logging(monkeypatch):
    """``app.main`` sets up logging; remove its handlers so later tests see clean streams."""
    import logging

    from janus_gui import log

    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    monkeypatch.setattr(log, "_configured_path", None)
    yield
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def _assert_repair_message(message: str, path: Path, words: str) -> None:
    assert str(path) in message, message
    assert "reinstall" in message.lower(), message
    assert "janus-gui build-db" in message, message
    assert words.lower() in message.lower(), message


def test_core_refuses_damaged_copy(damaged: tuple[Path, str]) -> None:
    path, words = damaged
    with pytest.raises(DataError) as caught:
        Repository.open(path)
    _assert_repair_message(str(caught.value), path, words)


def test_wrong_version_is_a_schema_version_error(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    _edit("PRAGMA user_version = 3")(path)
    with pytest.raises(SchemaVersionError, match="schema version 3, expected 2"):
        Repository.open(path)


@pytest.mark.parametrize(
    "command",
    [
        ["lookup", "Overseas"],
        ["show", "P13", "Service II", "--json"],
        ["costs", "--portfolio", "P13", "--share-class", "Service"],
    ],
)
def test_cli_refuses_damaged_copy(damaged: tuple[Path, str], command: list[str], capsys) -> None:
    path, words = damaged
    code, out, err = run_cli([*command, "--db", str(path)], capsys)
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    _assert_repair_message(err, path, words)


def test_cli_uses_env_override_and_refuses(damaged, capsys, monkeypatch) -> None:
    path, words = damaged
    monkeypatch.setenv("JANUS_GUI_DB", str(path))
    code, out, err = run_cli(["lookup", "Overseas", "--json"], capsys)
    assert (code, out) == (2, "")
    _assert_repair_message(err, path, words)


def test_gui_start_up_shows_dialog_and_exits_non_zero(
    damaged, qapp, monkeypatch, restore_logging
) -> None:
    from janus_gui import app
    from janus_gui.ui import dialogs

    path, words = damaged
    shown: list[tuple[str, str]] = []
    monkeypatch.setenv("JANUS_GUI_DB", str(path))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(dialogs, "show_error", lambda _p, title, msg: shown.append((title, msg)))
    windows: list[object] = []
    monkeypatch.setattr("janus_gui.ui.main_window.MainWindow", lambda *a: windows.append(a))
    code = app.main([])
    assert code != 0
    assert windows == [], "a window was built on a damaged database"
    assert len(shown) == 1
    title, message = shown[0]
    assert "database" in title.lower()
    _assert_repair_message(message, path, words)


def test_gui_dialog_is_a_critical_message_box(tmp_path, qapp, monkeypatch, restore_logging):
    """``show_error`` is the real ``QMessageBox.critical`` (not only a log line)."""
    from PySide6.QtWidgets import QMessageBox

    from janus_gui import app

    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox,
        "critical",
        staticmethod(lambda parent, title, text, *a: calls.append((title, text))),
    )
    monkeypatch.setenv("JANUS_GUI_DB", str(tmp_path / "nowhere.sqlite"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    assert app.main([]) == 1
    assert len(calls) == 1 and "missing" in calls[0][1]


# -- read-only --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE rule SET summary = 'x'",
        "DELETE FROM security",
        "CREATE TABLE intruder (x)",
        "PRAGMA user_version = 7",
    ],
)
def test_repository_connection_cannot_write(sql: str, tmp_path: Path) -> None:
    path = _copy(tmp_path)
    before = path.read_bytes()
    repo = Repository.open(path)
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            repo._db.execute(sql)  # noqa: SLF001 - the guarantee is about this very handle
    finally:
        repo.close()
    assert path.read_bytes() == before
    assert not any(p.name.endswith(("-journal", "-wal", "-shm")) for p in tmp_path.iterdir())


def test_immutable_open_of_read_only_folder(tmp_path: Path) -> None:
    """The frozen bundle's copy opens with immutable=1 even from a read-only folder."""
    folder = tmp_path / "bundle"
    folder.mkdir()
    path = folder / "janus.sqlite"
    shutil.copyfile(BUNDLED, path)
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        repo = Repository.open(path, immutable=True)
        assert repo.portfolio("P13").portfolio_id == "P13"
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            repo._db.execute("DELETE FROM rule")  # noqa: SLF001
        repo.close()
        assert sorted(p.name for p in folder.iterdir()) == ["janus.sqlite"]
    finally:
        folder.chmod(0o755)


def test_bundled_file_unchanged_by_a_session_of_lookups(capsys) -> None:
    """Open, search, show and compute many times: the bundled file's bytes and mtime stay put."""
    from janus_gui.core.asof import class_rules
    from janus_gui.core.lookup import search
    from janus_gui.core.models import ShareClass

    before = (hashlib.sha256(BUNDLED.read_bytes()).hexdigest(), BUNDLED.stat().st_mtime_ns)
    folder_before = sorted(p.name for p in BUNDLED.parent.iterdir())
    for _ in range(5):
        repo = Repository.open(BUNDLED)
        for query in ("Overseas", "JAGIX", "Global Tech", "471021", '"; DROP TABLE rule; --'):
            search(repo, query)
        for portfolio in repo.portfolios():
            for share_class in ShareClass:
                class_rules(repo, portfolio.portfolio_id, share_class, repo.documented_range()[1])
        repo.close()
    for argv in (["lookup", "Overseas"], ["show", "P13", "Service II", "--json"]):
        code, _out, _err = run_cli(argv, capsys)
        assert code == 0
    after = (hashlib.sha256(BUNDLED.read_bytes()).hexdigest(), BUNDLED.stat().st_mtime_ns)
    assert after == before
    assert sorted(p.name for p in BUNDLED.parent.iterdir()) == folder_before
