"""Schemathesis over the whole OpenAPI document, short and seeded: ``devforge serve`` (embedded,
SQLite in a temporary folder) fuzzed as a signed-in developer, three examples per operation. No
answer may be a server error. The full run (four callers, both profiles, many more examples) is
``bench/fuzz_api.py``; see bench/README.md."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.test_serve_smoke import DEVFORGE, PASSWORD, Server, free_port, wait_until

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("DEVFORGE_")} | {
        "DEVFORGE_DATA_DIR": str(tmp_path / "data"),
        "DEVFORGE_LOG_FORMAT": "json",
        "DEVFORGE_LOG_LEVEL": "warning",
        "DEVFORGE_ARGON2_MEMORY_KIB": "1024",
        "DEVFORGE_ARGON2_TIME_COST": "1",
        "DEVFORGE_RATE_LIMIT_API_PER_MINUTE": "1000000",
        "DEVFORGE_RATE_LIMIT_AUTH_PER_MINUTE": "1000000",
        "DEVFORGE_RATE_LIMIT_LICENSE_PER_MINUTE": "1000000",
    }
    log = tmp_path / "serve.log"
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [str(DEVFORGE), "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )
    try:
        yield Server(process, f"http://127.0.0.1:{port}", log)
    finally:
        process.kill()
        process.wait()


@pytest.mark.xdist_group("fuzz")
def test_a_short_seeded_fuzz_of_the_whole_document_finds_no_server_error(server: Server, tmp_path: Path) -> None:
    wait_until(server.ready, 90, "devforge serve to answer /health/ready")
    account = {"email": "fuzz@example.com", "password": PASSWORD}
    registered = httpx.post(f"{server.url}/api/auth/register", json=account | {"role": "developer"}, timeout=30)
    assert registered.status_code == 201, registered.text
    signed_in = httpx.post(f"{server.url}/api/auth/login", json=account, timeout=30)
    token = signed_in.json()["accessToken"]
    report = tmp_path / "report.json"
    command = [str(SCHEMATHESIS), "run", f"{server.url}/schema/openapi.json", "--checks", "not_a_server_error"]
    command += ["--phases", "examples,fuzzing", "--max-examples", "3", "--seed", "1", "--workers", "1"]
    command += ["--header", f"Authorization: Bearer {token}", "--exclude-path", "/api/auth/logout"]
    command += ["--suppress-health-check", "all", "--report", "json", "--report-json-path", str(report)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False, cwd=tmp_path)
    outcome = json.loads(report.read_text())
    assert outcome["operations"]["tested"] >= 90, done.stdout[-3000:]
    assert outcome["test_cases"]["generated"] >= 200
    assert outcome["failures"] == [] and outcome["errors"] == [], done.stdout[-5000:]
    logged = [line for line in server.log.read_text().splitlines() if '"unhandled_error"' in line]
    assert logged == []
