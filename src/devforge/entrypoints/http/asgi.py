"""``devforge.entrypoints.http.asgi:create`` is what the ASGI server imports (factory=True)."""

from __future__ import annotations

import gc

from litestar import Litestar

from devforge.bootstrap.allocator import tune_allocator
from devforge.bootstrap.container import make_container
from devforge.bootstrap.file_modes import keep_files_private
from devforge.bootstrap.settings import load_settings
from devforge.entrypoints.http.app import create_app
from devforge.entrypoints.logging import configure_logging
from devforge.entrypoints.worker.runtime import in_process_worker


def create() -> Litestar:
    """Embedded: the worker runs inside the API process. Production: API only."""
    tune_allocator()  # here, in each API process (uvicorn's workers are fresh interpreters)
    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    keep_files_private(settings)
    background = in_process_worker if settings.profile == "embedded" else None
    app = create_app(make_container(settings), settings, background=background, drain_on_sigterm=True)
    app.on_startup.append(_tune_garbage_collection)
    return app


GC_THRESHOLDS = (50_000, 20, 20)


def _tune_garbage_collection(_: Litestar) -> None:
    """A served process only, once started (tests build hundreds of apps and skip this).

    Start-up objects live as long as the process: keep them out of the collector's full passes,
    which otherwise stall requests for 100+ ms under load (bench/README.md). A process also holds
    many long-lived cached objects (licenses being validated), so young collections run less
    often and full ones rarely: p99 of a warm validation went from 148 ms to 31 ms at 5k
    requests/s with these thresholds (bench/README.md)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
