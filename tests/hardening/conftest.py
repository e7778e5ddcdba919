"""Hardening helpers: a tally of generated (fuzz) cases, printed in the terminal summary."""

from __future__ import annotations

from collections import Counter

import pytest

_TALLY: Counter[str] = Counter()


class CaseTally:
    """Counts generated cases per fuzz target (one call per Hypothesis example)."""

    def add(self, target: str, count: int = 1) -> None:
        _TALLY[target] += count

    def total(self) -> int:
        return sum(_TALLY.values())


@pytest.fixture(scope="session")
def case_tally() -> CaseTally:
    """The session-wide tally of generated cases."""
    return CaseTally()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _TALLY:
        return
    parts = ", ".join(f"{name} {count}" for name, count in sorted(_TALLY.items()))
    terminalreporter.write_line(f"hardening: {sum(_TALLY.values())} generated cases run ({parts})")
