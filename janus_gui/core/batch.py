"""Batch redemption fees: one input CSV with the lots of many accounts, one output row each.

Format (``docs/batch.md``): each input row is one lot of one account (``account_id``,
``purchase_date``, ``shares``, optional ``lot_id``/``exempt``/``seq``); the account's redemption
is given on its first row (``cusip`` or ``portfolio`` + ``share_class``, ``redeem_date``, ``nav``
and ``redeem_shares`` (a number or ``all``) or ``redeem_amount``). Rows of an account may be
anywhere in the file; output rows come in order of each account's first appearance. A bad
account gets an error row and never stops the others.

How a run goes: the input is first read as if each account's rows were together (cheap: blocks
of text cut at account boundaries). When an account turns up a second time, the run starts
again and groups the rows first (``batch_input.GroupedRows``: in memory up to a limit, then in a
temporary SQLite database). Chunks of whole accounts are computed in this process or, with
``jobs`` > 1, in worker processes; results are written in chunk order, so the output does not
depend on the number of workers.
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import multiprocessing
import os
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from janus_gui.core.batch_account import (
    BATCH_COLUMNS,
    OUTPUT_COLUMNS,
    REQUIRED_COLUMNS,
    AccountLine,
    BatchCatalog,
    catalog_resolver,
    catalog_rules,
    compute_account,
)
from janus_gui.core.batch_engine import Chunk, ChunkEngine, ChunkResult
from janus_gui.core.batch_input import (
    DEFAULT_MEMORY_BYTES,
    MAX_LINE_CHARS,
    GroupedRows,
    NotContiguous,
    check_contiguous,
    contiguous_chunks,
    read_header,
)
from janus_gui.core.csv_safety import safe_row
from janus_gui.core.errors import InputError
from janus_gui.core.lots_csv import map_header

__all__ = [
    "BATCH_COLUMNS",
    "OUTPUT_COLUMNS",
    "AccountLine",
    "BatchCatalog",
    "BatchSummary",
    "catalog_resolver",
    "catalog_rules",
    "compute_account",
    "run_batch",
]

logger = logging.getLogger(__name__)

CatalogFactory = Callable[[], BatchCatalog]
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """Counts after a batch run, and how the rows were grouped."""

    accounts: int
    ok: int
    failed: int
    rows: int
    grouped: bool = False  # the rows of some account were not together: grouped first
    spilled: bool = False  # grouping used a temporary database


@dataclass(slots=True)
class _Totals:
    accounts: int = 0
    ok: int = 0
    rows: int = 0

    def add(self, result: ChunkResult) -> None:
        self.accounts += len(result.accounts)
        self.ok += result.ok
        self.rows += result.rows


def header_line() -> bytes:
    """The output header row, as written."""
    out = io.StringIO()
    csv.writer(out).writerow(safe_row(OUTPUT_COLUMNS))
    return out.getvalue().encode("utf-8")


# -- workers -----------------------------------------------------------------------------------
_WORKER: ChunkEngine | None = None


def _detach_output() -> None:
    """A worker reports through its result queue only: it lets go of the parent's stdout and
    stderr, so a parent that is stopped by a signal never leaves a reader waiting on a worker."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        with contextlib.suppress(OSError):
            os.dup2(devnull, fd)
    os.close(devnull)


def _start_worker(columns: dict[str, int], width: int, catalog: CatalogFactory) -> None:
    global _WORKER
    _detach_output()
    _WORKER = ChunkEngine(columns, width, catalog())


def _work(chunk: Chunk) -> ChunkResult:
    assert _WORKER is not None, "worker not started"
    return _WORKER.compute(chunk)


def _pool(jobs: int, columns: dict[str, int], width: int, catalog: CatalogFactory) -> Executor:
    # fork starts workers in milliseconds; elsewhere (and in frozen apps) spawn is the safe one
    method = "fork" if sys.platform == "linux" else "spawn"
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(method),
        initializer=_start_worker,
        initargs=(columns, width, catalog),
    )


def _results(
    chunks: Iterable[Chunk], engine: ChunkEngine | None, pool: Executor | None, ahead: int
) -> Iterator[ChunkResult]:
    """Each chunk's result, in chunk order; at most ``ahead`` chunks in flight."""
    if pool is None:
        assert engine is not None
        yield from map(engine.compute, chunks)
        return
    pending: deque[Future[Any]] = deque()
    for chunk in chunks:
        pending.append(pool.submit(_work, chunk))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


# -- the run -----------------------------------------------------------------------------------
def run_batch(
    source: IO[str],
    sink: IO[bytes],
    catalog: CatalogFactory,
    *,
    jobs: int = 1,
    temp_dir: Path | None = None,
    memory_bytes: int = DEFAULT_MEMORY_BYTES,
    progress: Progress | None = None,
) -> BatchSummary:
    """Compute every account of a batch and write the output CSV to ``sink``.

    Args:
        source: the input, as text (open it with ``newline=""``). When it cannot seek (a
            pipe), rows are grouped straight away instead of read optimistically first.
        sink: binary output; must be seekable when ``source`` is (a restart rewinds it).
        catalog: makes the ``BatchCatalog``, once per process (must pickle when ``jobs`` > 1
            and workers are spawned).
        jobs: worker processes (1: compute here).
        temp_dir: folder for the grouping database (default: the system temporary folder).
        memory_bytes: input text grouped in memory before rows move to the database.
        progress: optional ``(accounts done, rows read)`` callback.

    Raises:
        LotFileError: for an unusable header (nothing is written then).
        InputError: for input that is not UTF-8 text or not valid CSV.
    """
    limit = csv.field_size_limit(MAX_LINE_CHARS)  # a long cell is an error row, not a CSV error
    try:
        return _run(source, sink, catalog, jobs, temp_dir, memory_bytes, progress)
    except UnicodeDecodeError:
        raise InputError("the input is not UTF-8 text") from None
    except csv.Error as exc:
        raise InputError(f"the input is not valid CSV ({exc})") from None
    finally:
        csv.field_size_limit(limit)


def _run(
    source: IO[str],
    sink: IO[bytes],
    catalog: CatalogFactory,
    jobs: int,
    temp_dir: Path | None,
    memory_bytes: int,
    progress: Progress | None,
) -> BatchSummary:
    header, header_no = read_header(source)
    columns, _ = map_header(header, BATCH_COLUMNS, REQUIRED_COLUMNS)
    width = len(header)
    account_index = columns["account_id"]
    pool = _pool(jobs, columns, width, catalog) if jobs > 1 else None
    engine = ChunkEngine(columns, width, catalog()) if pool is None else None
    ahead = 2 * jobs
    folder = temp_dir or Path(tempfile.gettempdir())
    try:
        sink.write(header_line())
        if source.seekable():
            start = source.tell()
            totals = _Totals()
            try:
                chunks = contiguous_chunks(source, header_no, account_index)
                seen: set[str] = set()
                for result in _results(chunks, engine, pool, ahead):
                    check_contiguous(seen, result.accounts)
                    _write(sink, result, totals, progress)
                return BatchSummary(
                    totals.accounts, totals.ok, totals.accounts - totals.ok, totals.rows
                )
            except NotContiguous:
                logger.info("accounts are not grouped in the input; grouping them first")
                source.seek(start)
                sink.seek(0)
                sink.truncate()
                sink.write(header_line())
        return _run_grouped(
            source,
            sink,
            header_no,
            (account_index, width),
            folder,
            memory_bytes,
            engine,
            pool,
            ahead,
            progress,
        )
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _run_grouped(
    source: IO[str],
    sink: IO[bytes],
    header_no: int,
    layout: tuple[int, int],
    folder: Path,
    memory_bytes: int,
    engine: ChunkEngine | None,
    pool: Executor | None,
    ahead: int,
    progress: Progress | None,
) -> BatchSummary:
    account_index, width = layout
    grouped = GroupedRows(account_index, width, folder, memory_bytes)
    try:
        for chunk in contiguous_chunks(source, header_no, account_index):
            grouped.add(chunk)
        totals = _Totals()
        for result in _results(grouped.chunks(), engine, pool, ahead):
            _write(sink, result, totals, progress)
        return BatchSummary(
            totals.accounts,
            totals.ok,
            totals.accounts - totals.ok,
            totals.rows,
            grouped=True,
            spilled=grouped.spilled,
        )
    finally:
        grouped.close()


def _write(
    sink: IO[bytes], result: ChunkResult, totals: _Totals, progress: Progress | None
) -> None:
    sink.write(result.data)
    totals.add(result)
    if progress is not None:
        progress(totals.accounts, totals.rows)


def run_batch_text(
    text: str, catalog: CatalogFactory, **options: object
) -> tuple[str, BatchSummary]:
    """``run_batch`` on a string (tests, small inputs): the output text and the summary."""
    sink = io.BytesIO()
    summary = run_batch(io.StringIO(text, newline=""), sink, catalog, **options)  # type: ignore[arg-type]
    return sink.getvalue().decode("utf-8"), summary
