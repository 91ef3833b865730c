"""The platform's HTTP controllers (``http_routes`` of ``bootstrap/contexts/platform.py``):
health and readiness, and downloads of files in local storage."""

from __future__ import annotations

from devforge.entrypoints.http.health import HealthController
from devforge.entrypoints.http.storage_controller import StorageDownloadsController

CONTROLLERS = (StorageDownloadsController, HealthController)
