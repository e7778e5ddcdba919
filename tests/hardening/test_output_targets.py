"""Every writer refuses an unsafe output target and clobbers nothing (core.safe_write).

The matrix runs each writer the app has (batch output, workspace save, lot file, export text,
export bytes, build-db) against every kind of target that must be refused, and checks that the
target is exactly as it was afterwards: same kind, same bytes, same mode, same link count.
"""

from __future__ import annotations

import os
import re
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from janus_gui.core import safe_write
from janus_gui.core.safe_write import UnsafeTargetError
from tests.helpers.hardening import ROOT, run_cli

BATCH_HEADER = (
    "account_id,portfolio,share_class,redeem_date,nav,redeem_shares,purchase_date,shares,lot_id\n"
)
GOOD_ROW = "A{n},P13,Service II,2012-04-20,10.00,5,2012-03-20,10,x\n"
OLD = b"last month's results\n"

# -- the targets ------------------------------------------------------------------------------
TargetMaker = Callable[[Path], Path]


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.csv"
    os.mkfifo(path)
    return path


def _folder(folder: Path) -> Path:
    path = folder / "results.csv"
    path.mkdir()
    return path


def _read_only(folder: Path) -> Path:
    path = folder / "locked.csv"
    path.write_bytes(OLD)
    path.chmod(0o444)
    return path


def _hard_link(folder: Path) -> Path:
    original = folder / "original.csv"
    original.write_bytes(OLD)
    os.link(original, folder / "linked.csv")
    return folder / "linked.csv"


def _symlink(folder: Path) -> Path:
    real = folder / "real.csv"
    real.write_bytes(OLD)
    (folder / "link.csv").symlink_to(real)
    return folder / "link.csv"


def _symlink_loop(folder: Path) -> Path:
    (folder / "loop_a.csv").symlink_to(folder / "loop_b.csv")
    (folder / "loop_b.csv").symlink_to(folder / "loop_a.csv")
    return folder / "loop_a.csv"


def _dangling_symlink(folder: Path) -> Path:
    (folder / "dangling.csv").symlink_to(folder / "nowhere" / "x.csv")
    return folder / "dangling.csv"


def _char_device(_folder: Path) -> Path:
    return Path("/dev/null")


REFUSED: dict[str, TargetMaker] = {
    "character device": _char_device,
    "fifo": _fifo,
    "folder": _folder,
    "read-only file": _read_only,
    "hard link": _hard_link,
    "symbolic link": _symlink,
    "symbolic link loop": _symlink_loop,
    "dangling symbolic link": _dangling_symlink,
}


def _snapshot(folder: Path) -> dict[str, tuple[int, int, int, bytes | None]]:
    """Kind, mode, link count and (for regular files) bytes of everything in ``folder``."""
    seen = {}
    for path in [*folder.iterdir(), Path("/dev/null")]:
        info = os.lstat(path)
        data = path.read_bytes() if stat.S_ISREG(info.st_mode) else None
        seen[str(path)] = (
            stat.S_IFMT(info.st_mode),
            stat.S_IMODE(info.st_mode),
            info.st_nlink,
            data,
        )
    return seen


# -- the writers --------------------------------------------------------------------------------
def _write_batch(target: Path, tmp_path: Path) -> None:
    from functools import partial

    from janus_gui import paths
    from janus_gui.core.batch import BatchCatalog, run_batch
    from janus_gui.core.repository import Repository
    from janus_gui.core.safe_write import write_from

    source = tmp_path / "in" / "accounts.csv"
    source.parent.mkdir(exist_ok=True)
    source.write_text(BATCH_HEADER + GOOD_ROW.format(n=1), encoding="utf-8")
    repo = Repository.open(paths.database_path())
    try:
        with source.open(encoding="utf-8", newline="") as text:
            catalog = partial(BatchCatalog.of, repo)
            write_from(target, lambda sink: run_batch(text, sink, catalog, temp_dir=tmp_path))
    finally:
        repo.close()


def _write_workspace(target: Path, _tmp: Path) -> None:
    from janus_gui.core.workspace_file import Workspace, save

    save(target, Workspace())


def _write_lots(target: Path, _tmp: Path) -> None:
    import datetime as dt
    from decimal import Decimal

    from janus_gui.core.lots import Lot
    from janus_gui.core.lots_csv import write_lots

    write_lots(target, [Lot(dt.date(2012, 1, 3), Decimal("1.5"), "a", 0)])


def _write_export_text(target: Path, _tmp: Path) -> None:
    safe_write.write_text(target, "csv,export\n")


def _write_export_bytes(target: Path, _tmp: Path) -> None:
    safe_write.write_bytes(target, b"%PDF-1.4 ...")


WRITERS: dict[str, Callable[[Path, Path], None]] = {
    "batch": _write_batch,
    "workspace save": _write_workspace,
    "lot file": _write_lots,
    "export text": _write_export_text,
    "export bytes": _write_export_bytes,
}

CLOBBERED: list[str] = []


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_writer_refuses_unsafe_target_and_changes_nothing(
    writer: str, kind: str, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = REFUSED[kind](folder)
    before = _snapshot(folder)
    with pytest.raises(UnsafeTargetError) as raised:
        WRITERS[writer](target, tmp_path)
    after = _snapshot(folder)
    if after != before:
        CLOBBERED.append(f"{writer} -> {kind}")
    assert after == before, f"{writer} changed the {kind} target"
    assert str(target.name) in str(raised.value) or str(target) in str(raised.value)
    assert isinstance(raised.value, OSError)  # every "could not save" handler reports it


def test_refusal_messages_name_the_kind(tmp_path: Path) -> None:
    expected = {
        "character device": "a character device",
        "fifo": "a named pipe (FIFO)",
        "folder": "a folder",
        "read-only file": "read-only",
        "hard link": "other hard links",
        "symbolic link": "symbolic link",
        "symbolic link loop": "symbolic link",
        "dangling symbolic link": "symbolic link",
    }
    for number, (kind, maker) in enumerate(sorted(REFUSED.items())):
        folder = tmp_path / str(number)
        folder.mkdir()
        with pytest.raises(UnsafeTargetError, match=re.escape(expected[kind])):
            safe_write.check_target(maker(folder))


# -- the command line: clear error, exit 2, nothing clobbered ------------------------------------
@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_cli_batch_refuses_target(kind: str, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = REFUSED[kind](folder)
    source = tmp_path / "accounts.csv"
    source.write_text(BATCH_HEADER + GOOD_ROW.format(n=1), encoding="utf-8")
    before = _snapshot(folder)
    code, out, err = run_cli(["batch", "--input", str(source), "--output", str(target)], capsys)
    assert (code, out) == (2, "")
    assert err.startswith("janus-gui: error: the output") and "Traceback" not in err
    assert _snapshot(folder) == before


# -- modes ----------------------------------------------------------------------------------------
def test_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "shared.csv"
    target.write_bytes(OLD)
    target.chmod(0o664)
    safe_write.write_text(target, "new\n")
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o664


def test_new_file_honours_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        safe_write.write_text(tmp_path / "new.csv", "x\n")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o640


def test_linked_folder_is_followed_and_temporary_sits_in_the_real_folder(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "alias").symlink_to(real)
    safe_write.write_text(tmp_path / "alias" / "out.csv", "x\n")
    assert (real / "out.csv").read_text() == "x\n"
    assert sorted(p.name for p in real.iterdir()) == ["out.csv"]


def test_cross_device_rename_is_refused_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_stat = os.stat
    worked: list[str] = []

    class OtherDevice:
        def __init__(self, info: os.stat_result) -> None:
            self.st_dev = info.st_dev + 1
            self.st_mode = info.st_mode

    def fake_stat(path, *args, **kwargs):
        info = real_stat(path, *args, **kwargs)
        return OtherDevice(info) if Path(path) == tmp_path else info

    monkeypatch.setattr(safe_write.os, "stat", fake_stat)
    with (
        pytest.raises(UnsafeTargetError, match="another file system"),
        safe_write.replacing(tmp_path / "out.csv"),
    ):
        worked.append("computed")
    assert worked == []
    assert list(tmp_path.iterdir()) == []


# -- leftovers ------------------------------------------------------------------------------------
def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_temporaries_of_dead_processes_are_swept_by_name(tmp_path: Path) -> None:
    target = tmp_path / "fees.csv"
    dead = tmp_path / f".fees.csv.{_dead_pid()}.0badf00d.tmp"
    dead_journal = tmp_path / f".fees.csv.{_dead_pid()}.0badf00d.tmp-journal"
    alive = tmp_path / f".fees.csv.{os.getppid()}.0badf00d.tmp"  # the test runner's parent
    unrelated = tmp_path / f".other.csv.{_dead_pid()}.0badf00d.tmp"
    for path in (dead, dead_journal, alive, unrelated):
        path.write_text("partial")
    safe_write.write_text(target, "x\n")
    assert not dead.exists() and not dead_journal.exists()
    assert alive.exists() and unrelated.exists()


def _slow_batch_input(path: Path, accounts: int) -> None:
    path.write_text(
        BATCH_HEADER + "".join(GOOD_ROW.format(n=n) for n in range(accounts)), encoding="utf-8"
    )


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGHUP"])
def test_signal_during_batch_leaves_no_temporary(signal_name: str, tmp_path: Path) -> None:
    """The batch is killed while its temporary exists; the old output and the folder stay clean."""
    source, target = tmp_path / "accounts.csv", tmp_path / "out" / "fees.csv"
    target.parent.mkdir()
    target.write_bytes(OLD)
    _slow_batch_input(source, 200_000)
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "janus_gui",
            "batch",
            "--input",
            str(source),
            "--output",
            str(target),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        if any(p.name.endswith(".tmp") for p in target.parent.iterdir()):
            break
        time.sleep(0.01)
    assert child.poll() is None, "the batch finished before it could be signalled"
    child.send_signal(getattr(signal, signal_name))
    _out, err = child.communicate(timeout=60)
    assert child.returncode == -getattr(signal, signal_name)
    assert b"Traceback" not in err
    assert sorted(p.name for p in target.parent.iterdir()) == ["fees.csv"]
    assert target.read_bytes() == OLD


def test_zzz_targets_clobbered_is_zero() -> None:
    """Summary line for the closing note: every refused target across the matrix survived."""
    print(
        f"\noutput targets: {len(WRITERS) * len(REFUSED)} writer/target pairs, "
        f"{len(CLOBBERED)} clobbered"
    )
    assert CLOBBERED == []
