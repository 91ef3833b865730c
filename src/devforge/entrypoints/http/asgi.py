"""``devforge.entrypoints.http.asgi:create`` is what the ASGI server imports (factory=True)."""

from __future__ import annotations

from litestar import Litestar

from devforge.bootstrap.container import make_container
from devforge.bootstrap.file_modes import keep_files_private
from devforge.bootstrap.settings import load_settings
from devforge.entrypoints.http.app import create_app
from devforge.entrypoints.logging import configure_logging
from devforge.entrypoints.worker.runtime import in_process_worker


def create() -> Litestar:
    """Embedded: the worker runs inside the API process. Production: API only."""
    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    keep_files_private(settings)
    background = in_process_worker if settings.profile == "embedded" else None
    return create_app(make_container(settings), settings, background=background, drain_on_sigterm=True)
