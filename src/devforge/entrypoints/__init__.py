"""Thin shells that drive the application: HTTP (Litestar), the worker, the CLI."""

from devforge.entrypoints.lean_imports import import_without_consoles

import_without_consoles()  # before any shell imports structlog or httpx (lean_imports.py)
