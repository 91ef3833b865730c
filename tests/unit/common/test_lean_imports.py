"""A served process keeps the console libraries out (entrypoints/lean_imports.py): structlog and
httpx go on without them, and rich stays importable for whoever wants it."""

from __future__ import annotations

import os
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


PYDANTIC_PROBE = """
import os, sys, tempfile
os.environ.update({"DEVFORGE_PROFILE": "embedded", "DEVFORGE_DATA_DIR": tempfile.mkdtemp()})
from devforge.entrypoints.http import asgi
app = asgi.create()
paths = app.openapi_schema.paths
print("pydantic" in sys.modules, len(paths) > 100)
import pydantic
print(pydantic.BaseModel.__name__)
"""


def test_the_api_process_builds_its_app_and_openapi_document_without_pydantic() -> None:
    """dishka and Litestar go on without pydantic (lean_imports.py); it stays importable."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DEVFORGE_")}
    done = subprocess.run(
        [sys.executable, "-c", PYDANTIC_PROBE], capture_output=True, text=True, timeout=120, check=True, env=environment
    )
    assert done.stdout.split("\n")[:2] == ["False True", "BaseModel"]
