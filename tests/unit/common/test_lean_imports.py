"""A served process keeps the console libraries out (entrypoints/lean_imports.py): structlog and
httpx go on without them, and rich stays importable for whoever wants it."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
import devforge.entrypoints.http.asgi
import httpx, structlog
loaded = sorted(name for name in ("rich", "pygments") if name in sys.modules)
print(loaded, structlog.dev.rich is None)
import rich
print(rich.__name__)
"""


def test_the_api_process_imports_neither_rich_nor_pygments() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split("\n")[:2] == ["[] True", "rich"]
