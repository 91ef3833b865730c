"""Thin shells that drive the application: HTTP (Litestar), the worker, the CLI."""

from devforge.entrypoints.lean_imports import import_without_consoles, import_without_pydantic

import_without_consoles()  # before any shell imports structlog or httpx (lean_imports.py)
import_without_pydantic()  # before any shell imports dishka (lean_imports.py)
