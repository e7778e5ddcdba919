"""Helpers shared by the table parsers: name lookup, money cells, check failures."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from janus_gui.dbbuild.errors import BuildError
from janus_gui.dbbuild.sources import collapse

_SUPERSCRIPTS = re.compile(r"[\u207d\u207e\u00b9\u00b2\u00b3\u2070-\u2079]")
_MONEY = re.compile(r"\\\$\s*(-(?![0-9])|[0-9]*\.[0-9]+)")


@dataclass(frozen=True)
class Failure:
    """A failed labelled check found while parsing a table."""

    source_file: str
    line: int
    check: str
    printed: str
    computed: str

    @property
    def key(self) -> tuple[int, str]:
        """What the allow-list matches on: the line and the check's label."""
        return (self.line, self.check)

    def describe(self) -> str:
        """``001:15 (14+15+16) 2013: printed 0.00406232, computed 0.24448``."""
        return (
            f"{self.source_file[:3]}:{self.line} {self.check}: printed {self.printed}, "
            f"computed {self.computed}"
        )


class NameIndex:
    """Printed portfolio names -> portfolio ids, from ``data/seed/portfolio_names.csv``."""

    def __init__(self, rows: Iterable[dict[str, object]]) -> None:
        self._ids: dict[str, str] = {}
        for row in rows:
            key = self._key(str(row["name"]))
            pid = str(row["portfolio_id"])
            if self._ids.get(key, pid) != pid:
                raise BuildError(f"name {row['name']!r} belongs to two portfolios")
            self._ids[key] = pid

    @staticmethod
    def _key(name: str) -> str:
        return collapse(name).casefold()

    def portfolio_id(self, printed: str, where: str) -> str:
        """The lineage of a printed name; fail the build if the seed does not know it."""
        try:
            return self._ids[self._key(printed)]
        except KeyError:
            raise BuildError(
                f"{where}: printed name {printed!r} is not in data/seed/portfolio_names.csv"
            ) from None


def clean_label(text: str) -> str:
    """A header label without footnote superscripts, whitespace collapsed."""
    return collapse(_SUPERSCRIPTS.sub("", text))


def money_tokens(cell: str) -> tuple[str | None, ...]:
    """Every escaped dollar amount in a cell: ``'\\$ 0.17 \\$ -'`` -> ``('0.17', None)``."""
    return tuple(None if v == "-" else v for v in _MONEY.findall(cell))


def has_money(cell: str) -> bool:
    """True when the cell holds at least one ``\\$`` amount."""
    return bool(_MONEY.search(cell))
