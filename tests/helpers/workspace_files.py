"""Reading a saved workspace file the way its format is documented: a JSON header line, then
lot-CSV text."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any


def saved_parts(path: Path) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The header line's object and the lot rows by column name."""
    with path.open(encoding="utf-8", newline="") as handle:
        header = json.loads(handle.readline())
        rows = list(csv.DictReader(io.StringIO(handle.read(), newline="")))
    return header, rows
