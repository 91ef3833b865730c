"""Keeps two console libraries out of every devforge process (bench/README.md, issue 12 memory).

structlog imports rich (for its development console's tracebacks) whenever rich is installed, and
httpx imports click, pygments and rich for its command line whenever they are installed: about 5
MiB of each API and worker process, for code devforge never calls (its logs are JSON lines, or
structlog's plain exception printer on a terminal; it runs no httpx command). Litestar depends on
rich, so it is always installed. Both libraries import these under ``try``/``except ImportError``
and go on without them; this makes that import fail for them alone:

- httpx's command line module is marked absent (``httpx.main`` then tells to install
  ``httpx[cli]``);
- structlog is imported while rich is marked absent, then rich is importable again for anyone
  else (a test runner, Litestar's CLI).

Run before anything imports structlog or httpx: ``devforge/entrypoints/__init__.py`` calls it, so
every shell (``devforge serve``, ``worker``, the CLI, uvicorn's worker processes) does; the client
package (``devforge.client``) does not go through it and imports neither library.
"""

from __future__ import annotations

import sys

CONSOLES = ("rich", "pygments")


def import_without_consoles() -> None:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    if "structlog" in sys.modules:
        return
    blocked = [name for name in CONSOLES if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import structlog  # noqa: F401
    finally:
        for name in blocked:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
