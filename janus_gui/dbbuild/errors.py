"""The build's own failure type."""

from __future__ import annotations


class BuildError(Exception):
    """The catalog cannot be built: a bad seed row, a failed check or a missing source."""
