"""Reading the source documents: lines, document ids, hashes and quote checks."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from janus_gui.dbbuild.errors import BuildError


def collapse(text: str) -> str:
    """Runs of whitespace (spaces, tabs, line breaks, no-break spaces) become one space."""
    return " ".join(text.split())


@dataclass(frozen=True)
class SourceText:
    """One source document: its file name, bytes hash and 1-based lines."""

    path: Path
    lines: tuple[str, ...] = field(repr=False)
    sha256: str

    @property
    def name(self) -> str:
        """The file name, as cited in ``source_file`` columns."""
        return self.path.name

    @property
    def doc(self) -> str:
        """The three-digit document id (``'001'``)."""
        return self.path.name[:3]

    def line(self, number: int) -> str:
        """Line ``number`` (1-based)."""
        return self.lines[number - 1]

    def span(self, start: int, end: int) -> str:
        """Lines ``start``..``end`` inclusive, whitespace collapsed."""
        if not 1 <= start <= end <= len(self.lines):
            raise BuildError(f"{self.name}: lines {start}-{end} are outside 1-{len(self.lines)}")
        return collapse(" ".join(self.lines[start - 1 : end]))

    def require_quote(self, start: int, end: int, quote: str, where: str) -> None:
        """Fail the build unless ``quote`` (collapsed) occurs in lines ``start``..``end``."""
        wanted = collapse(quote)
        if not wanted:
            raise BuildError(f"{where}: empty quote")
        if wanted not in self.span(start, end):
            raise BuildError(
                f"{where}: quote {wanted!r} does not occur in {self.name}:{start}-{end}"
            )


def load_source(path: Path) -> SourceText:
    """Read a source file (UTF-8) keeping its exact lines."""
    data = path.read_bytes()
    text = data.decode("utf-8")
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()  # a final newline ends the last line; it does not start a new one
    return SourceText(
        path, tuple(line.rstrip("\r") for line in lines), hashlib.sha256(data).hexdigest()
    )


def load_sources(folder: Path) -> dict[str, SourceText]:
    """Every ``NNN_*.txt`` in ``folder``, keyed by file name."""
    files = sorted(folder.glob("[0-9][0-9][0-9]_*.txt"))
    if not files:
        raise BuildError(f"no source documents in {folder}")
    return {p.name: load_source(p) for p in files}


def source_by_doc(sources: dict[str, SourceText], doc: str) -> SourceText:
    """The source whose document id is ``doc``."""
    for source in sources.values():
        if source.doc == doc:
            return source
    raise BuildError(f"source document {doc} is missing")
