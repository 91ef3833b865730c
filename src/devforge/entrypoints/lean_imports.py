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

pydantic likewise (installed for openai; devforge's models are msgspec structs): dishka's type
tools import it whenever its distribution is installed, and every Litestar app adds its pydantic
plugins whenever it imports, about 9.6 MiB of each API process (issue 12). dishka is imported while
the pydantic distribution reads as absent (``import_without_pydantic``, from the same place), and
``pydantic_absent`` holds pydantic unimportable while the app is built (Litestar goes on without
its plugins); pydantic stays importable for anyone else afterwards. In a process that already
imported pydantic (a test runner) both do nothing.
"""

from __future__ import annotations

import importlib.metadata
import sys
from collections.abc import Iterator
from contextlib import contextmanager

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


def import_without_pydantic() -> None:
    if "dishka" in sys.modules or "pydantic" in sys.modules:
        return
    installed = importlib.metadata.distribution

    def distribution(distribution_name: str) -> importlib.metadata.Distribution:
        if distribution_name == "pydantic":
            raise importlib.metadata.PackageNotFoundError(distribution_name)
        return installed(distribution_name)

    importlib.metadata.distribution = distribution
    try:
        import dishka  # noqa: F401
    finally:
        importlib.metadata.distribution = installed


@contextmanager
def pydantic_absent() -> Iterator[None]:
    if "pydantic" in sys.modules:
        yield
        return
    sys.modules["pydantic"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if "pydantic" in sys.modules and sys.modules["pydantic"] is None:
            del sys.modules["pydantic"]
