"""The sweep: wrk on every GET route of the OpenAPI document that seeded data can call, and on
validate, activate, login, register and checkout, beside the bare endpoints, in one run.

For each profile: recreate the bench database (production), migrate, seed licenses
(bench/seed_licenses.py) and extensions (bench/seed_marketplace.py), start bench/bare_app.py and
``devforge serve`` (and in production ``devforge worker``, and ClickHouse's stand-in in a process
of its own: bench/clickhouse_standin.py) on free ports with rate limits of 10^9
a minute and mail to a Maildir, make the world the requests need through the API
(bench/sweep_world.py), then put wrk (``-t 2 -c 32 --latency``) on the bare endpoints (GET /, and
in production GET /row, one asyncpg primary-key select), every route, and the bare endpoints
again; before each route the worker's backlog is let drain (``Backlog``), so a route is not
measured while the worker still handles the events of the one before. Each route is called once
first: a status that is not 2xx is shown. Writes one markdown
table per profile (req/s, p50, p99, errors, the ratio to the bare endpoints; p99 over 200 ms
marked), the routes that could not be called and why, and the API process's VmRSS after the sweep,
to stdout and bench/results/sweep-<UTC timestamp>.md; progress on stderr. Exits 1 when any route
answered errors (a route whose role bench/sweep_routes.py does not know answers 403).

    .venv/bin/python bench/sweep.py [--profile embedded|production|both] [--duration S] [--warmup S]
        [--only 'label|label'] [--py-spy PATH [--spy-out DIR]]   # a py-spy profile of each route
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from harness import Load, progress, reset_production, rss_mib, wait_ready, wrk_binary, wrk_run
from profile_endpoint import report
from run import DEVFORGE, clickhouse_standin, devforge_env, free_port, header, serving
from sweep_routes import Target, get_targets, post_targets, search_target
from sweep_table import table
from sweep_world import build_world, http

BENCH = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description="wrk on every route devforge serves, beside the bare endpoints")
    parser.add_argument("--profile", choices=["embedded", "production", "both"], default="both")
    parser.add_argument("--duration", type=int, default=3, help="seconds of measured load per route")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of unmeasured load per route first")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--licenses", type=int, default=20_000, help="licenses seeded (validate, activate)")
    parser.add_argument("--extensions", type=int, default=20_000, help="extensions seeded (browse, search)")
    parser.add_argument(
        "--only",
        default="",
        help="only routes whose label contains this, or one of these '|'-separated substrings (for development)",
    )
    parser.add_argument("--database-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/devforge_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--py-spy", help="py-spy's path: sample the API process during each measured run")
    parser.add_argument("--spy-out", type=Path, default=BENCH / "results" / "spy", help="one profile per route here")
    args = parser.parse_args()
    if not DEVFORGE.exists():
        sys.exit(f"{DEVFORGE} not found: run this with the project's venv, .venv/bin/python bench/sweep.py")
    wrk = wrk_binary()
    profiles = ["embedded", "production"] if args.profile == "both" else [args.profile]
    swept = [sweep_profile(profile, wrk, args) for profile in profiles]
    report = "\n".join([header(wrk), *(text for text, _ in swept)])
    print("\n" + report)
    results = BENCH / "results"
    results.mkdir(exist_ok=True)
    path = results / f"sweep-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.md"
    path.write_text(report + "\n")
    progress(f"written to {path.relative_to(BENCH.parent)}")
    failing = [f"{profile}: {label}" for profile, (_, labels) in zip(profiles, swept, strict=True) for label in labels]
    if failing:  # a new route the role table does not know answers 403 as the customer: noticed here
        progress(f"FAILED: {len(failing)} routes with errors or no answer (401/403: see ROLES, sweep_routes.py)")
        progress("\n".join(f"  {label}" for label in failing))
        return 1
    return 0


def sweep_profile(profile: str, wrk: str, args: argparse.Namespace) -> tuple[str, list[str]]:
    progress(f"--- sweep, profile {profile}")
    with tempfile.TemporaryDirectory(prefix=f"devforge-sweep-{profile}-") as scratch, contextlib.ExitStack() as stack:
        workdir = Path(scratch)
        bare_url, api_port = f"http://127.0.0.1:{free_port()}", free_port()
        api_url = f"http://127.0.0.1:{api_port}"
        clickhouse = stack.enter_context(clickhouse_standin(workdir)) if profile == "production" else ""
        env = devforge_env(profile, workdir / "data", api_port, args, clickhouse)
        env |= {"DEVFORGE_MAIL_BACKEND": "maildir", "DEVFORGE_ACCESS_TOKEN_MINUTES": "1440"}
        env["DEVFORGE_MARKETPLACE_RATING_MIN_DOWNLOAD_HOURS"] = "0"  # the world rates right after its download
        if profile == "production":
            progress(f"recreating {args.database_url.rsplit('/', 1)[-1]}, flushing {args.redis_url}, migrating")
            reset_production(args.database_url, args.redis_url)
        run_step([str(DEVFORGE), "migrate"], env, 120)
        run_step([str(DEVFORGE), "seed"], env, 120)  # the editor's plans: what checkout sells
        keys, ids, activation = workdir / "keys.txt", workdir / "ids.txt", workdir / "activation.txt"
        progress(f"seeding {args.licenses:,} licenses and {args.extensions:,} extensions")
        seed = [sys.executable, str(BENCH / "seed_licenses.py"), "--count", str(args.licenses), "--sample", "5000"]
        run_step([*seed, "--keys-out", keys, "--ids-out", ids, "--cold-keys-out", activation], env, 900)
        words = workdir / "words.txt"
        seed = [sys.executable, str(BENCH / "seed_marketplace.py"), "--count", str(args.extensions)]
        run_step([*seed, "--words-out", words], env, 900)
        bare_command = [sys.executable, str(BENCH / "bare_app.py"), "--port", bare_url.rsplit(":", 1)[1]]
        if profile == "production":
            bare_command += ["--database-url", args.database_url.replace("+asyncpg", ""), "--ids-file", str(ids)]
        bare = stack.enter_context(serving("bare", bare_command, env, workdir))
        wait_ready(f"{bare_url}/", "bare", bare)
        api = stack.enter_context(serving("devforge", [str(DEVFORGE), "serve"], env, workdir))
        wait_ready(f"{api_url}/health/live", "devforge", api)
        if profile == "production":  # mail, webhooks, reviews and read models run in the worker
            stack.enter_context(serving("worker", [str(DEVFORGE), "worker"], env, workdir))
        rss_start = rss_mib(api.pid)
        try:
            world = build_world(api_url, DEVFORGE, env, workdir / "data")
        except RuntimeError as error:
            sys.exit(f"seeding the sweep's world failed: {error}\n{tail(workdir / 'devforge.log')}")
        rss_seeded = rss_mib(api.pid)
        with urllib.request.urlopen(f"{api_url}/schema/openapi.json", timeout=30) as answer:  # noqa: S310 - ours
            gets, skipped = get_targets(json.loads(answer.read()), world)
        routes = [*gets, search_target(words), *post_targets(world, keys, activation, profile)]
        routes = [target for target in routes if any(part in target.label for part in args.only.split("|"))]
        if not activation.read_text().strip():  # the first 5,000 keys are validate's; activate takes the next
            left = "skipped (it needs over 5,000; 10,000 gives it 5,000)"
            progress(f"--licenses {args.licenses:,} leaves activate no keys of its own: {left}")
            routes = [target for target in routes if "/api/licenses/activate" not in target.label]
        bares = [Target("bare Litestar GET /", "anonymous", f"{bare_url}/")]
        if profile == "production":
            bares.append(Target("bare Litestar GET /row (one asyncpg PK select)", "anonymous", f"{bare_url}/row"))
        backlog = Backlog(args.database_url if profile == "production" else f"{workdir / 'data' / 'devforge.db'}")
        backlog.wait_drained("seeding the world")
        rows = [(target, measure(wrk, bare_url, target, "", args)) for target in bares]
        for target in routes:
            rows.append((target, measure(wrk, api_url, target, token_of(world.tokens, target.role), args, api.pid)))
            backlog.wait_drained(target.label)
        again = [Target(f"{target.label} (again)", target.role, target.path) for target in bares]
        rows += [(target, measure(wrk, bare_url, target, "", args)) for target in again]
        memory = (
            f"{rss_start} after start-up, {rss_seeded} after seeding the world through the API, "
            f"**{rss_mib(api.pid)} after the sweep** (bare app: {rss_mib(bare.pid)})"
        )
    return table(profile, rows, skipped, memory, args.connections)


class Backlog:
    """The events a route's writes left for the worker (an activation's: its analytics fact and a
    cache forget). The next route is measured once they are handled, so a route's figures carry
    its own background work and not the previous one's (before this, checkout was measured while
    the worker and ClickHouse still worked off the activations before it: bench/README.md)."""

    # Never-tried deliveries only: one that failed waits out its back-off, which is not this route's.
    PENDING = (
        "SELECT (SELECT count(*) FROM outbox WHERE relayed_at IS NULL)"
        " + (SELECT count(*) FROM deliveries WHERE status = 'pending' AND attempts = 0)"
    )

    def __init__(self, database: str) -> None:
        self._database = database

    def pending(self) -> int:
        if self._database.startswith("postgresql"):
            return asyncio.run(self._pending_postgres())
        with contextlib.closing(sqlite3.connect(f"file:{self._database}?mode=ro", uri=True, timeout=15)) as db:
            return int(db.execute(self.PENDING).fetchone()[0])

    async def _pending_postgres(self) -> int:
        import asyncpg

        connection = await asyncpg.connect(self._database.replace("+asyncpg", ""))
        try:
            return int(await connection.fetchval(self.PENDING))
        finally:
            await connection.close()

    def wait_drained(self, label: str, seconds: float = 120) -> None:
        started, first = time.monotonic(), self.pending()
        left = first
        while left and time.monotonic() - started < seconds:
            time.sleep(0.25)
            left = self.pending()
        if first:
            waited = time.monotonic() - started
            note = f", {left} still pending: measuring on" if left else ""
            progress(f"  the worker's backlog after {label}: {first} events/deliveries, {waited:.1f} s to drain{note}")


def token_of(tokens: dict[str, str], role: str) -> str:
    return "" if role == "anonymous" else tokens[role]


def measure(
    wrk: str, base: str, target: Target, token: str, args: argparse.Namespace, pid: int = 0
) -> tuple[Load, str, float | None, str]:
    """(load, the status of one call first, the API's CPU µs a request, how its event loop's thread
    spent the run): a GET that does not answer 2xx is shown in the table."""
    path = target.late() if target.late else target.path
    url = path if path.startswith("http") else f"{base}{path}"
    headers = [f"Authorization: Bearer {token}"] if token else []
    status = ""
    if target.script is None:
        status = str(http(base, "GET", url.removeprefix(base), token=token or None)[0])
        if not status.startswith("2"):
            progress(f"  {target.label} answered {status} as {target.role}: its run counts errors")
            if status in ("401", "403"):
                progress("  (its role: ROLES in bench/sweep_routes.py)")
    progress(f"{target.label} as {target.role}: {args.warmup} s warm-up, {args.duration} s measured")
    warm = (
        wrk_run(wrk, url, headers, args.warmup, args.connections, script_of(target, "warmup", 0))
        if args.warmup
        else None
    )
    done = warm.requests if warm else 0
    spent, loop = (cpu_seconds(pid) if pid else 0.0), LoopShare.of(pid)
    with sampling(args, pid, target.label):
        load = wrk_run(wrk, url, headers, args.duration, args.connections, script_of(target, "measured", done))
    cpu = (cpu_seconds(pid) - spent) * 1e6 / load.requests if pid and load.requests else None
    shares = loop.since() if loop else ""
    flag = f", {load.errors} errors" if load.errors else ""
    progress(f"  {load.requests_per_second:,.0f} req/s, p50 {load.p50_ms:.2f} ms, p99 {load.p99_ms:.2f} ms{flag}")
    if pid:
        progress(f"  API process VmRSS now {rss_mib(pid)}, {cpu or 0:,.0f} µs of its CPU a request, loop {shares}")
    return load, status, cpu, shares


class LoopShare:
    """How the API process's main thread (its event loop's) spent a run, from the scheduler's
    ``/proc/<pid>/task/<pid>/schedstat``: on a CPU, runnable but waiting for one (a loaded
    machine), or asleep (the loop waited on nothing to do, a lock, a thread, a disk). A slow route
    whose loop never sleeps is short of CPU, not waiting on something."""

    def __init__(self, pid: int, running: int, queued: int) -> None:
        self._pid, self._running, self._queued, self._started = pid, running, queued, time.monotonic_ns()

    @classmethod
    def of(cls, pid: int) -> LoopShare | None:
        found = cls._read(pid) if pid else None
        return cls(pid, *found) if found else None

    @staticmethod
    def _read(pid: int) -> tuple[int, int] | None:
        try:
            with open(f"/proc/{pid}/task/{pid}/schedstat") as stat:
                running, queued, _ = map(int, stat.read().split())
        except (OSError, ValueError):
            return None
        return running, queued

    def since(self) -> str:
        """ "on CPU / waiting for a CPU / asleep", percentages of the wall time since ``of``."""
        found, wall = self._read(self._pid), time.monotonic_ns() - self._started
        if found is None or wall <= 0:
            return ""
        running, queued = (found[0] - self._running) / wall, (found[1] - self._queued) / wall
        return f"{running:.0%} / {queued:.0%} / {max(0.0, 1 - running - queued):.0%}"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads (``/proc/<pid>/stat``)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def sampling(args: argparse.Namespace, pid: int, label: str) -> Iterator[None]:
    """py-spy on the API process while the block runs (with ``--py-spy``): the functions holding
    the most samples go to ``--spy-out``/<route>.txt (bench/profile_endpoint.py's report)."""
    if not (args.py_spy and pid):
        yield
        return
    args.spy_out.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9]+", "_", label).strip("_")[:80]
    raw = args.spy_out / f"{name}.collapsed"
    spy = [args.py_spy, "record", "--pid", str(pid), "--rate", "200", "--format", "raw", "--nonblocking"]
    spy += ["--duration", str(args.duration), "--output", str(raw)]
    with subprocess.Popen(spy, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as recorder:
        yield
        recorder.wait(timeout=args.duration + 30)
    if raw.exists():
        (args.spy_out / f"{name}.txt").write_text(f"{label}\n{report(raw.read_text(), 45)}\n")


def script_of(target: Target, phase: str, done: int) -> tuple[Path, *tuple[object, ...]] | None:
    return None if target.script is None else (target.script, *target.args(phase, done))


def run_step(command: list[object], env: dict[str, str], seconds: int) -> None:
    done = subprocess.run(list(map(str, command)), env=env, timeout=seconds, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(map(str, command))} failed:\n{done.stderr[-3000:]}")


def tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.exists() else ""


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds like Ctrl-C: the servers are stopped
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
