"""A real clamd (Debian's clamav-daemon) with a signature database the tests write, since no
signature download is possible here. Started once per session on a free TCP port and a unix
socket in a temp dir; skipped when ``clamd`` is not installed, failed instead under
``DEVFORGE_REQUIRE_SERVICES=1``."""

from __future__ import annotations

import hashlib
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fakes.ports import free_port
from tests.services import services_required

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
MARKER = b"DEVFORGE-MALWARE-TEST-MARKER-7f3a"  # our own signature, matched anywhere in a file
MARKER_SIGNATURE = "DevForge.Test.Marker"
STREAM_MAX_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Clamd:
    tcp_address: str
    unix_address: str
    log: Path


def _write_config(root: Path, port: int) -> Path:
    database = root / "db"
    database.mkdir()
    (database / "devforge-test.hdb").write_text(
        f"{hashlib.md5(EICAR, usedforsecurity=False).hexdigest()}:{len(EICAR)}:Eicar-Test-Signature\n"
    )
    (database / "devforge-test.ndb").write_text(f"{MARKER_SIGNATURE}:0:*:{MARKER.hex()}\n")
    config = root / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                "Foreground yes",
                f"LocalSocket {root / 'clamd.sock'}",
                f"TCPSocket {port}",
                "TCPAddr 127.0.0.1",
                f"DatabaseDirectory {database}",
                f"LogFile {root / 'clamd.log'}",
                f"PidFile {root / 'clamd.pid'}",
                f"StreamMaxLength {STREAM_MAX_BYTES}",
                "SelfCheck 3600",
                "",
            ]
        )
    )
    return config


def _pong(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
            connection.sendall(b"zPING\0")
            return connection.recv(16) == b"PONG\0"
    except OSError:
        return False


def _wait_for_pong(port: int, process: subprocess.Popen[bytes], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        if _pong(port):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture(scope="session")
def clamd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clamd]:
    binary = shutil.which("clamd") or next((p for p in ("/usr/sbin/clamd",) if Path(p).exists()), None)
    if binary is None:
        reason = "clamd is not installed (apt-get install -y clamav-daemon)"
        if services_required():
            pytest.fail(f"{reason}, and DEVFORGE_REQUIRE_SERVICES=1 requires it")
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("clamd")
    port = free_port()
    config = _write_config(root, port)
    process = subprocess.Popen(
        [binary, "--config-file", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        if not _wait_for_pong(port, process, seconds=60):
            log = (root / "clamd.log").read_text() if (root / "clamd.log").exists() else ""
            pytest.fail(f"clamd did not answer PING (exit {process.poll()}):\n{log[-2000:]}")
        yield Clamd(f"127.0.0.1:{port}", f"unix:{root / 'clamd.sock'}", root / "clamd.log")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
