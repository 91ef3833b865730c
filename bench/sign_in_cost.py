"""Where one sign-in's CPU goes, production profile: the API process's event loop, its other
threads (the password-hashing pool) and the worker process, over sign-ins one after another.

    .venv/bin/python bench/sign_in_cost.py [--sign-ins 300] [--database-url ...] [--redis-url ...]

Starts ``devforge serve`` and ``devforge worker`` on the bench database (recreated, as
bench/run.py does), registers one account, signs in a few times to warm up, then signs in
``--sign-ins`` times one after another and reads each process's CPU time (user + system, every
thread, from /proc) before and after; the worker's is read once it has drained what the sign-ins
queued (a new-sign-in mail each: two event deliveries, the MIME message, the Maildir file). What
the sweep's 32 clients can reach on this machine follows from the sum: a closed loop of N clients
on C cores waits about N x (CPU a sign-in) / C. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from harness import _post, progress, reset_production, wait_ready
from run import DEVFORGE, clickhouse_standin, devforge_env, free_port, serving

TICKS = os.sysconf("SC_CLK_TCK")
ACCOUNT = {"email": "sign-in-cost@bench.example", "password": "bench-Correct-Horse-42"}


def cpu_seconds(pid: int) -> tuple[float, float]:
    """The process's CPU: its main thread's (the event loop's), and all its other threads'."""
    loop = others = 0.0
    for tid in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{tid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        spent = (int(fields[11]) + int(fields[12])) / TICKS
        if int(tid) == pid:
            loop += spent
        else:
            others += spent
    return loop, others


@contextlib.contextmanager
def migrated(env: dict[str, str], workdir: Path) -> Iterator[dict[str, str]]:
    """The environment, once ``devforge migrate`` has run with it; new-sign-in mail to a Maildir."""
    env = env | {"DEVFORGE_MAIL_BACKEND": "maildir"}
    subprocess.run([str(DEVFORGE), "migrate"], env=env, check=True, capture_output=True, timeout=300)
    yield env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sign-ins", type=int, default=300)
    parser.add_argument("--database-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/devforge_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    reset_production(args.database_url, args.redis_url)
    with tempfile.TemporaryDirectory(prefix="devforge-sign-in-") as scratch:
        workdir = Path(scratch)
        port = free_port()
        with (
            clickhouse_standin(workdir) as clickhouse_url,
            migrated(devforge_env("production", workdir, port, args, clickhouse_url), workdir) as env,
            serving("api", [str(DEVFORGE), "serve"], env, workdir) as api,
            serving("worker", [str(DEVFORGE), "worker"], env, workdir) as worker,
        ):
            base = f"http://127.0.0.1:{port}"
            wait_ready(f"{base}/health/live", "devforge", api)
            _post(f"{base}/api/auth/register", ACCOUNT)
            for _ in range(20):
                _post(f"{base}/api/auth/login", ACCOUNT)
            time.sleep(3)  # the warm-up's mail delivered
            idle_before = sum(cpu_seconds(worker.pid))
            time.sleep(2)
            idle_rate = (sum(cpu_seconds(worker.pid)) - idle_before) / 2  # its polling, per second
            api_before, worker_before = cpu_seconds(api.pid), sum(cpu_seconds(worker.pid))
            started = time.perf_counter()
            for done in range(1, args.sign_ins + 1):
                _post(f"{base}/api/auth/login", ACCOUNT)
                if done % 100 == 0:
                    progress(f"{done}/{args.sign_ins} sign-ins")
            elapsed = time.perf_counter() - started
            api_after = cpu_seconds(api.pid)
            time.sleep(4)  # the worker drains the sign-ins' mail
            worker_spent = sum(cpu_seconds(worker.pid)) - worker_before - idle_rate * (elapsed + 4)
    wall = elapsed / args.sign_ins
    n = args.sign_ins
    loop_ms = (api_after[0] - api_before[0]) / n * 1000
    threads_ms = (api_after[1] - api_before[1]) / n * 1000
    worker_ms = worker_spent / n * 1000
    total = loop_ms + threads_ms + worker_ms
    cores = len(os.sched_getaffinity(0))
    print(f"{n} sign-ins one after another, {wall * 1000:.1f} ms each (wall)")
    print(f"API event loop:             {loop_ms:6.1f} ms of CPU a sign-in")
    print(f"API other threads (hashes): {threads_ms:6.1f} ms")
    print(f"worker, drained:            {worker_ms:6.1f} ms (less its idling, {idle_rate * 1000:.0f} ms a second)")
    wait = 32 * total / cores
    print(f"sum:                        {total:6.1f} ms; 32 clients on {cores} cores wait about {wait:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
