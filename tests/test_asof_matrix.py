"""docs/as-of-matrix.md is what the catalog answers today: a changed date answer is a reviewed
diff of that file, never a silent change."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_as_of_matrix_matches_the_catalog() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "asof_matrix.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_matrix_holds_the_reviewed_answers() -> None:
    text = (ROOT / "docs" / "as-of-matrix.md").read_text(encoding="utf-8")
    # 002:121-131: Overseas Service II converted at the close of 2012-04-27; fee removed.
    assert "| P4 | Service II | 2012-04-27 | offered | documented |" in text
    assert "| P4 | Service II | 2012-04-28 | ended | documented |" in text
    # 004:6018-6021: Institutional existed by 1998-12-31; never "not yet offered".
    assert "| P1 | Institutional | 1999-06-01 | offered | carried |" in text
    assert "not_offered | documented" in text  # Service before 2000-01-01 (004:400)
