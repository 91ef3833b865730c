"""Libraries that weigh on every process are loaded only by the processes that use them: chDB
(ClickHouse as a library, about 290 MiB resident) by analytics' in-process store on first use,
statsforecast (with scipy and statsmodels: about 100 MiB and seconds to import) by the worker's
first forecast, never by importing the application, its container and its worker; and a production API process,
built as ``devforge serve`` builds it with analytics on a ClickHouse server, loads none of chDB,
the review's checks (YARA-X, tree-sitter: the worker's review children load them), fpdf2 and
what it pulls in (the PDF child process loads them), Faker and polyfactory (Litestar's generated
examples, which the OpenAPI document does not use), nor a test library."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

IMPORT_THE_SERVICE = """
import sys
import devforge.bootstrap.container, devforge.entrypoints.http.app, devforge.entrypoints.worker
import devforge.adapters.analytics.chdb_store, devforge.adapters.analytics.statsforecast_forecaster
print(",".join(sorted(name for name in ("chdb", "statsforecast", "scipy", "statsmodels") if name in sys.modules)))
"""

BUILD_THE_PRODUCTION_API = """
import sys
from devforge.entrypoints.http.asgi import create
create().openapi_schema.to_schema()  # what GET /schema/openapi.json builds
heavy = ("chdb", "yara_x", "tree_sitter", "fpdf", "fontTools", "numpy", "PIL", "faker", "polyfactory", "hypothesis")
heavy += ("statsforecast", "scipy")
print("loaded:" + ",".join(sorted(name for name in heavy if name in sys.modules)))
"""


def test_importing_the_service_loads_no_chdb_and_no_statsforecast() -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", IMPORT_THE_SERVICE], capture_output=True, text=True, check=True, timeout=120
    ).stdout.strip()
    assert loaded == ""


def test_a_production_api_process_on_clickhouse_loads_no_heavy_library(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DEVFORGE_")}
    env |= {
        "DEVFORGE_PROFILE": "production",
        "DEVFORGE_DATA_DIR": str(tmp_path),
        "DEVFORGE_DATABASE_URL": "postgresql+asyncpg://devforge@127.0.0.1:1/never_connected",
        "DEVFORGE_REDIS_URL": "redis://127.0.0.1:1/0",
        "DEVFORGE_SECRET_KEY": "k" * 64,
        "DEVFORGE_MALWARE_SCANNER": "builtin",
        "DEVFORGE_PAYMENT_PROVIDER": "sandbox",
        "DEVFORGE_ANALYTICS_STORE": "clickhouse",
        "DEVFORGE_CLICKHOUSE_URL": "http://127.0.0.1:1",
        "DEVFORGE_CLICKHOUSE_USER": "analytics",
    }
    built = subprocess.run(
        [sys.executable, "-c", BUILD_THE_PRODUCTION_API], env=env, capture_output=True, text=True, timeout=120
    )
    assert built.returncode == 0, built.stderr[-2000:]
    assert [line for line in built.stdout.splitlines() if line.startswith("loaded:")] == ["loaded:"]
