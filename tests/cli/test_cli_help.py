"""`--help` teaches: every option explained, every sub-command ends with examples that run."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

import pytest

from janus_gui.cli import build_parser, main
from janus_gui.cli.help import EXAMPLE_FILES, EXAMPLES

ROOT = Path(__file__).resolve().parents[2]


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def _options() -> list[tuple[str, argparse.Action]]:
    top = build_parser()
    found = [
        ("janus-gui", a)
        for a in top._actions
        if a.option_strings and not isinstance(a, argparse._HelpAction)
    ]
    for name, sub in _commands().items():
        for action in sub._actions:
            if not isinstance(action, argparse._HelpAction):
                found.append((name, action))
    return found


@pytest.mark.parametrize(
    ("command", "action"),
    _options(),
    ids=[f"{c}:{a.option_strings[0] if a.option_strings else a.dest}" for c, a in _options()],
)
def test_every_option_of_every_command_has_help(command, action) -> None:
    assert action.help and action.help != argparse.SUPPRESS
    assert len(action.help) >= 15, f"{command} {action.dest}: say what it does"


def test_the_enumeration_sees_every_command_and_its_options() -> None:
    options = _options()
    assert {command for command, _ in options} == {"janus-gui", *_commands()}
    assert len(options) >= 58  # 56 sub-command options and arguments, --version, --self-test


def test_every_command_has_two_or_three_examples_at_the_end_of_its_help(capsys) -> None:
    commands = _commands()
    assert set(EXAMPLES) == set(commands)
    for name in commands:
        with pytest.raises(SystemExit) as done:
            main([name, "--help"])
        assert done.value.code == 0
        text = capsys.readouterr().out
        examples = EXAMPLES[name]
        assert 2 <= len(examples) <= 3
        tail = text[text.index("\nexamples:\n") :]
        assert text.rstrip().endswith(examples[-1][1])
        for command_line, meaning in examples:
            assert f"\n  {command_line}\n      {meaning}\n" in tail + "\n"


def test_top_level_help_lists_each_command_on_one_line(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    for name in _commands():
        (line,) = [ln for ln in text.splitlines() if ln.split()[:1] == [name]]
        assert len(line.split()) > 3, f"{name} needs a one-line summary"
    assert "janus-gui COMMAND --help" in text


def test_command_help_starts_by_saying_what_it_does(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["fee-free", "--help"])
    text = capsys.readouterr().out
    assert "\nLargest fee-free redemption on a date.\n" in text


def test_docs_examples_folder_holds_the_example_files() -> None:
    folder = ROOT / "docs" / "examples"
    assert sorted(p.name for p in folder.iterdir()) == sorted(EXAMPLE_FILES)
    for name, text in EXAMPLE_FILES.items():
        assert (folder / name).read_text(encoding="utf-8") == text


def _run(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


@pytest.mark.slow
def test_every_example_runs_as_written(capsys, tmp_path, monkeypatch) -> None:
    for name, text in EXAMPLE_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    ordered = ["build-db"] + [name for name in EXAMPLES if name != "build-db"]
    for name in ordered:
        for command_line, _ in EXAMPLES[name]:
            argv = shlex.split(command_line)
            assert argv[0] == "janus-gui"
            code = _run(argv[1:])
            out, err = capsys.readouterr()
            assert code == 0, f"{command_line!r} exited {code}: {err}"
            assert out or "--output" in argv or "--out" in argv, command_line
            assert "Traceback" not in err
    assert (tmp_path / "resolved.csv").read_text(encoding="utf-8").count("\n") == 5
    assert (tmp_path / "fees.csv").is_file() and (tmp_path / "janus-rebuilt.sqlite").is_file()
