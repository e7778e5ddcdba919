"""The app never uses the network: every socket is refused while it works."""

from __future__ import annotations

import socket

import pytest

from tests.helpers.hardening import NASTY, run_cli


class NetworkUsedError(AssertionError):
    """Raised by the patched socket functions."""


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a socket or resolve a name fails the test, and is recorded."""
    attempts: list[str] = []

    def refuse(name: str):
        def blocked(*args, **kwargs):
            attempts.append(f"{name}{args[:2]!r}")
            raise NetworkUsedError(f"network access attempted: {name}")

        return blocked

    monkeypatch.setattr(socket, "socket", refuse("socket.socket"))
    monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("socket.getaddrinfo"))
    monkeypatch.setattr(socket, "socketpair", refuse("socket.socketpair"))
    return attempts


def test_guard_really_blocks(no_network) -> None:
    with pytest.raises(NetworkUsedError):
        socket.create_connection(("example.invalid", 80))
    assert no_network == ["socket.create_connection(('example.invalid', 80),)"]


COMMANDS = [
    ["lookup", "Overseas", "--json"],
    ["lookup", "471021709"],
    ["show", "P13", "Service II", "--as-of", "2012-04-20", "--json"],
    [
        "fee",
        "--lots",
        str(NASTY / "utf8_bom.csv"),
        "--portfolio",
        "P13",
        "--share-class",
        "Service II",
        "--redeem-date",
        "2012-04-20",
        "--shares",
        "1",
        "--nav",
        "10.00",
        "--json",
    ],
    ["costs", "--portfolio", "P4", "--share-class", "Service", "--json"],
    ["exchange", "--from", "P13/Service II", "--to", "P4/Service II", "--date", "2012-04-20"],
    ["convert", "--shares", "1000", "--from-nav", "10.00", "--to-nav", "10.05"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=[a[0] for a in COMMANDS])
def test_commands_work_offline(argv: list[str], no_network, capsys) -> None:
    code, out, err = run_cli(argv, capsys)
    assert code == 0, err
    assert out
    assert no_network == []


def test_main_window_builds_offline(no_network, qapp, qtbot, repo) -> None:
    from janus_gui.ui.main_window import MainWindow
    from janus_gui.ui.settings import AppSettings

    window = MainWindow(repo, AppSettings())
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.search_box.results_shown, timeout=5000) as blocker:
        qtbot.keyClicks(window.search_box.field, "Global Technology")
    assert any(m.portfolio_id == "P13" for m in blocker.args[0].matches)
    assert no_network == []
