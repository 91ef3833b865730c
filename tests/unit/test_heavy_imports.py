"""Libraries that weigh on every process are loaded only by the processes that use them: chDB
(ClickHouse as a library, about 290 MiB resident) by analytics' in-process store on first use,
never by importing the application, its container and its worker."""

from __future__ import annotations

import subprocess
import sys

IMPORT_THE_SERVICE = """
import sys
import devforge.bootstrap.container, devforge.entrypoints.http.app, devforge.entrypoints.worker
import devforge.adapters.analytics.chdb_store
print(",".join(sorted(name for name in ("chdb",) if name in sys.modules)))
"""


def test_importing_the_service_loads_no_chdb() -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", IMPORT_THE_SERVICE], capture_output=True, text=True, check=True, timeout=120
    ).stdout.strip()
    assert loaded == ""
