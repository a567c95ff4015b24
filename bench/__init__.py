"""Benchmarks: they print figures (speed, memory, accuracy); they are not tests.

They read data in place from :data:`SHARED`: ``$CLAIMTRACE_SHARED`` when it is set, else the
``shared`` folder beside the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The shared data folder (``data/``, ``examples/``), as the tests find it too.
SHARED = Path(os.environ.get("CLAIMTRACE_SHARED") or Path(__file__).resolve().parents[2] / "shared")
