r"""User text made safe to show: control, bidi and invisible characters written as escapes.

Anything a user typed or a file held can come back in a message, a text table or the window.
A terminal interprets ``ESC [2J`` (clear screen) and ``ESC ]0;...BEL`` (set title); bidi
overrides (U+202E) make ``abc\u202egpj.exe`` display as ``abcexe.jpg``; a lone surrogate from
an undecodable command-line byte cannot even be encoded for output. ``escaped`` writes every
such character the way Python source would (``\x1b``, ``\u202e``, ``\udcff``), so the text
reads the same everywhere and is never interpreted.
"""

from __future__ import annotations

import re

# Every character ``str.isprintable`` refuses (controls, format/bidi, surrogates, private use,
# unassigned, separators other than the space) is escaped; the pattern finds the runs quickly.
_PRINTABLE_RUN = re.compile(r"[ -~]+")  # plain ASCII needs no per-character look


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def escaped(text: str, *, keep_newlines: bool = False) -> str:
    r"""``text`` with every non-printable character written as an escape.

    Args:
        text: any text, including lone surrogates.
        keep_newlines: keep ``\n`` (a multi-line message); other controls are still escaped.

    Returns:
        Text that contains only printable characters (and newlines when kept).
    """
    if text.isprintable() or (keep_newlines and text.replace("\n", "").isprintable()):
        return text
    out: list[str] = []
    position = 0
    while position < len(text):
        run = _PRINTABLE_RUN.match(text, position)
        if run is not None:
            out.append(run.group())
            position = run.end()
            continue
        char = text[position]
        if char.isprintable() or (keep_newlines and char == "\n"):
            out.append(char)
        else:
            out.append(_escape(char))
        position += 1
    return "".join(out)


def first_unprintable(text: str) -> str | None:
    """The first character of ``text`` that ``escaped`` would escape, or ``None``."""
    if text.isprintable():
        return None
    return next(char for char in text if not char.isprintable())
