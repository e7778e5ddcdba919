"""The installed Qt binding must keep Python's reference counts straight.

PySide6 6.12.0 on Python 3.11 returns ``None`` from void methods without a reference, so a long
session aborts with "deallocating None". pyproject.toml excludes that release; this test makes
sure a future one with the same defect is caught.
"""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from PySide6.QtCore import QObject
holder = QObject()
before = sys.getrefcount(None)
results = [holder.setObjectName("x") for _ in range(1000)]
print(sys.getrefcount(None) - before)
"""


def test_void_qt_calls_return_none_with_a_reference() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-500:]
    assert int(done.stdout.strip()) >= 990  # one reference per stored None
