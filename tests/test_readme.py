"""README.md is for users first: the window, the two set-up commands, every sub-command with an
example whose shown output is what the command prints today."""

from __future__ import annotations

import contextlib
import re
import shlex
from pathlib import Path

import pytest

from janus_gui.cli import build_parser, main
from janus_gui.cli.help import EXAMPLE_FILES

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _examples() -> list[tuple[str, list[str]]]:
    """Each ``$ janus-gui ...`` block: the command and the output lines shown under it."""
    found: list[tuple[str, list[str]]] = []
    for block in re.findall(r"(?:\n    .*)+", README):
        lines = [line[4:] for line in block.strip("\n").split("\n")]
        for number, line in enumerate(lines):
            if line.startswith("$ janus-gui "):
                shown = []
                for later in lines[number + 1 :]:
                    if later.startswith("$ "):
                        break
                    shown.append(later)
                found.append((line[2:], shown))
    return found


def test_users_come_first() -> None:
    assert README.index("# For developers") > README.index("## A five-minute tour")
    assert "![" in README and "(docs/images/main-window.png)" in README
    assert (ROOT / "docs" / "images" / "main-window.png").is_file()
    assert "    bash scripts/dev.sh run\n" in README and "    bash scripts/dev.sh test\n" in README
    assert "scripts/build_app.sh" in README and "install_desktop.sh" in README


def test_every_sub_command_has_an_example() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    shown = {shlex.split(command)[1] for command, _ in _examples()}
    assert set(commands) <= shown


@pytest.mark.slow
def test_readme_examples_print_what_the_readme_shows(capsys, tmp_path, monkeypatch) -> None:
    for name, text in EXAMPLE_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for command, shown in _examples():
        with contextlib.suppress(SystemExit):
            main(shlex.split(command)[1:])
        out, err = capsys.readouterr()
        printed = out + err
        for line in shown:
            if line.strip() in ("...", "") or line.rstrip().endswith("..."):
                continue
            assert line in printed, f"{command}: README shows {line!r}"
