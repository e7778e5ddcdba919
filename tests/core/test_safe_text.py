"""Echoed text: control, bidi and invisible characters shown as escapes, never interpreted."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from janus_gui.core.safe_text import escaped


def test_terminal_and_bidi_spoofs_are_escaped() -> None:
    assert escaped("\x1b[2J\x1b]0;owned\x07") == "\\x1b[2J\\x1b]0;owned\\x07"
    assert escaped("abc\u202egpj.exe") == "abc\\u202egpj.exe"
    assert escaped("\u202e01.3") == "\\u202e01.3"
    assert escaped("bad\udcffbyte") == "bad\\udcffbyte"
    assert escaped("a\nb") == "a\\x0ab"
    assert escaped("a\nb", keep_newlines=True) == "a\nb"
    assert escaped("Überseas 株 — ok") == "Überseas 株 — ok"


@given(st.text())
def test_escaped_text_is_printable_and_encodable(text: str) -> None:
    shown = escaped(text)
    assert shown.isprintable()
    shown.encode("utf-8")  # no lone surrogate left
