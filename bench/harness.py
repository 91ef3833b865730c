"""What bench/run.py drives: wrk (installed if missing), readiness, a signed-in user, memory."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

_STARTED = time.monotonic()
_TO_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx/3xx answers plus socket errors: anything but 0 voids the row


def progress(message: str) -> None:
    print(f"[{time.monotonic() - _STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


def wrk_binary() -> str:
    """wrk from PATH, else from the distribution's packages (Debian and Ubuntu ship it)."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") is None:
        sys.exit("wrk is not installed and there is no apt-get here: install wrk, then run this again")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [*sudo, "apt-get", "install", "-y", "-q", "wrk"]
    progress(f"wrk is missing; installing it: {' '.join(install)}")
    if subprocess.run(install, env=env, timeout=600).returncode != 0:
        progress(f"retrying after {' '.join([*sudo, 'apt-get', 'update'])}")
        subprocess.run([*sudo, "apt-get", "update", "-q"], env=env, timeout=600, check=True)
        subprocess.run(install, env=env, timeout=600, check=True)
    return shutil.which("wrk") or sys.exit("apt-get ran but wrk is still not on PATH")


def wrk_run(
    wrk: str,
    url: str,
    headers: list[str],
    seconds: int,
    connections: int,
    script: tuple[Path, *tuple[object, ...]] | None = None,
) -> Load:
    """``script``: a Lua script and its arguments (the validate bench's keys file, mode and offset)."""
    command = [wrk, "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s", "--latency"]
    for header in headers:
        command += ["-H", header]
    tail = [] if script is None else ["-s", str(script[0]), url, "--", *map(str, script[1:])]
    command += tail or [url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)
    return parse_wrk(done.stdout)


def parse_wrk(output: str) -> Load:
    def find(pattern: str) -> str:
        match = re.search(pattern, output, re.MULTILINE)
        if match is None:
            raise ValueError(f"no {pattern!r} in wrk output:\n{output}")
        return match[1]

    def ms(text: str) -> float:
        number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", text).groups()  # type: ignore[union-attr]
        return float(number) * _TO_MS[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return Load(
        requests_per_second=float(find(r"Requests/sec:\s+([\d.]+)")),
        p50_ms=ms(find(r"^\s+50%\s+(\S+)")),
        p99_ms=ms(find(r"^\s+99%\s+(\S+)")),
        requests=int(find(r"(\d+) requests in")),
        errors=(int(non_2xx[1]) if non_2xx else 0) + (sum(map(int, sockets.groups())) if sockets else 0),
    )


def wait_ready(url: str, name: str, process: subprocess.Popen[bytes] | None = None, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            sys.exit(f"{name} exited with {process.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own local server
                if response.status == 200:
                    progress(f"{name} answers on {url}")
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"{name} did not answer {url} within {seconds:.0f} s")


def sign_in(base: str) -> str:
    credentials = {"email": "bench@devforge.dev", "password": "bench-Correct-Horse-42"}
    _post(f"{base}/api/auth/register", credentials)
    token: str = _post(f"{base}/api/auth/login", credentials)["accessToken"]
    return token


def _post(url: str, body: dict[str, str]) -> dict[str, str]:
    request = urllib.request.Request(  # noqa: S310 - our own local server
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        answer: dict[str, str] = json.loads(response.read() or b"{}")
        return answer


def rss_mib(pid: int) -> str:
    """VmRSS of one process (its children, if any, are not counted)."""
    with open(f"/proc/{pid}/status") as status:
        kib = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return f"{kib / 1024:.0f} MiB"


def reset_production(database_url: str, redis_url: str) -> None:
    """Drop and create the bench database, flush the bench Redis db. Refuses names without "bench"."""
    url = urlsplit(database_url.replace("+asyncpg", ""))
    name = url.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]*bench[a-z0-9_]*", name):
        sys.exit(f"refusing to drop database {name!r}: the bench only recreates a database named *bench*")

    async def reset() -> None:
        import asyncpg
        from redis.asyncio import Redis

        connection = await asyncpg.connect(
            host=url.hostname, port=url.port or 5432, user=url.username, password=url.password, database="postgres"
        )
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()
        redis = Redis.from_url(redis_url)
        try:
            await redis.flushdb()
        finally:
            await redis.aclose()

    asyncio.run(asyncio.wait_for(reset(), timeout=30))
