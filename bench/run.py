"""Load bench: devforge next to a bare Litestar endpoint, same server, same run, same machine.

For each profile: start bench/bare_app.py and ``devforge serve`` on free ports, sign a user in,
run wrk (--latency) on the bare endpoint, /health/live and /api/auth/me, then read the API
process's resident memory. The licensing suite seeds 100,000 licenses first and puts wrk on
``POST /api/licenses/validate`` (random keys from a 20,000-key sample) beside a bare endpoint
doing one primary-key select on the same licenses table (asyncpg in production, aiosqlite on the
embedded database file). The marketplace suite seeds 20,000 extensions, puts wrk on
the search mix (bench/search_mix.lua: 2,000 queries drawn by Zipf, with sort orders and filters),
search (``GET /api/extensions?q=<word>``) and browse (pages 1-3 by downloads) beside the bare
endpoint (a primary-key select of a listing, asyncpg or aiosqlite as the profile),
then times 20 MB uploads to their review verdict (bench/upload_package.py). Absolute figures move
with the machine; the ratio to the bare endpoint much less, so the ratio is the figure that counts.

    .venv/bin/python bench/run.py [--suite core|licensing|marketplace|all] [--profile embedded|production|both]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from statistics import mean, median

from harness import Load, progress, reset_production, rss_mib, sign_in, wait_ready, wrk_binary, wrk_run

BENCH = Path(__file__).resolve().parent
DEVFORGE = Path(sys.executable).parent / "devforge"
HIGH_LIMIT = "1000000000"  # requests per minute: the bench measures the service, not its throttle
LUA = BENCH / "validate.lua"
PATHS_LUA = BENCH / "paths.lua"
SELECT_LABEL = "bare Litestar GET /row (one asyncpg PK select)"
BARE_SAME_PROTOCOL = "bare Litestar GET /, served with devforge's one-write protocol"
SQLITE_SELECT_LABEL = "bare Litestar GET /row (one aiosqlite PK select)"
CORE_LICENSES = 2_000
MIX_LUA = BENCH / "search_mix.lua"


def main() -> int:
    parser = argparse.ArgumentParser(description="wrk against devforge and a bare Litestar endpoint")
    parser.add_argument("--profile", choices=["embedded", "production", "both"], default="both")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per endpoint")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured load per endpoint first")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--database-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/devforge_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--suite", choices=["core", "licensing", "marketplace", "all"], default="all")
    parser.add_argument("--licenses", type=int, default=100_000, help="licenses seeded for the licensing suite")
    parser.add_argument("--keys", type=int, default=20_000, help="licenses the validate load picks its keys from")
    parser.add_argument("--extensions", type=int, default=20_000, help="extensions seeded for the marketplace suite")
    parser.add_argument("--uploads", type=int, default=5, help="20 MB uploads timed to their review verdict")
    args = parser.parse_args()
    if not DEVFORGE.exists():
        sys.exit(f"{DEVFORGE} not found: run this with the project's venv, .venv/bin/python bench/run.py")

    wrk = wrk_binary()
    profiles = ["embedded", "production"] if args.profile == "both" else [args.profile]
    title = header(wrk)
    suites = ["core", "licensing", "marketplace"] if args.suite == "all" else [args.suite]
    sections = [bench_profile(profile, suite, wrk, args) for suite in suites for profile in profiles]
    report = "\n".join([title, *sections])
    print("\n" + report)
    results = BENCH / "results"
    results.mkdir(exist_ok=True)
    path = results / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}.md"
    path.write_text(report + "\n")
    progress(f"written to {path.relative_to(BENCH.parent)}")
    return 0


def bench_profile(profile: str, suite: str, wrk: str, args: argparse.Namespace) -> str:
    progress(f"--- {suite} suite, profile {profile}")
    with tempfile.TemporaryDirectory(prefix=f"devforge-bench-{profile}-") as scratch, contextlib.ExitStack() as stack:
        workdir = Path(scratch)
        bare_port, api_port = free_port(), free_port()
        bare_url, api_url = f"http://127.0.0.1:{bare_port}", f"http://127.0.0.1:{api_port}"
        clickhouse = stack.enter_context(clickhouse_standin(workdir)) if profile == "production" else ""
        env = devforge_env(profile, workdir / "data", api_port, args, clickhouse)
        if profile == "production":
            progress(f"recreating {args.database_url.rsplit('/', 1)[-1]}, flushing {args.redis_url}, migrating")
            reset_production(args.database_url, args.redis_url)
        migrated = subprocess.run([str(DEVFORGE), "migrate"], env=env, timeout=120, capture_output=True, text=True)
        if migrated.returncode != 0:
            sys.exit(f"devforge migrate failed:\n{migrated.stderr[-3000:]}")
        bare_command = [sys.executable, str(BENCH / "bare_app.py"), "--port", str(bare_port)]
        keys_file, ids_file, cold_file = workdir / "keys.txt", workdir / "ids.txt", workdir / "cold.txt"
        with_select = suite == "licensing" or (suite == "core" and profile == "production")
        if with_select:
            # The core suite seeds a few licenses only: the rows the bare select reads.
            count, sample = (args.licenses, args.keys) if suite == "licensing" else (CORE_LICENSES, CORE_LICENSES)
            progress(f"seeding {count:,} licenses")
            seed = [sys.executable, str(BENCH / "seed_licenses.py"), "--count", str(count), "--sample", str(sample)]
            seed += ["--keys-out", str(keys_file), "--ids-out", str(ids_file)]
            if suite == "licensing":
                seed += ["--cold-keys-out", str(cold_file)]
            subprocess.run(seed, env=env, timeout=900, check=True, stdout=sys.stderr)
            if profile == "production":
                bare_command += [
                    "--database-url",
                    args.database_url.replace("+asyncpg", ""),
                    "--ids-file",
                    str(ids_file),
                ]
            elif suite == "licensing":  # the same select on the embedded database file
                bare_command += ["--sqlite", str(workdir / "data" / "devforge.db"), "--ids-file", str(ids_file)]
        if suite == "marketplace":
            progress(f"seeding {args.extensions:,} extensions")
            seed = [sys.executable, str(BENCH / "seed_marketplace.py"), "--count", str(args.extensions)]
            seed += ["--words-out", str(workdir / "words.txt"), "--ids-out", str(ids_file)]
            subprocess.run(seed, env=env, timeout=900, check=True, stdout=sys.stderr)
            mix = [sys.executable, str(BENCH / "search_mix.py"), "--words", str(workdir / "words.txt")]
            subprocess.run([*mix, "--out", str(workdir / "queries.txt")], timeout=60, check=True)
            if profile == "production":
                bare_command += ["--database-url", args.database_url.replace("+asyncpg", "")]
            else:
                bare_command += ["--sqlite", str(workdir / "data" / "devforge.db")]
            bare_command += ["--ids-file", str(ids_file), "--table", "marketplace_listings"]
        bare = stack.enter_context(serving("bare", bare_command, env, workdir))
        wait_ready(f"{bare_url}/", "bare", bare)
        api = stack.enter_context(serving("devforge", [str(DEVFORGE), "serve"], env, workdir))
        wait_ready(f"{api_url}/health/live", "devforge", api)
        if suite == "marketplace" and profile == "production":  # the review pipeline runs in the worker
            stack.enter_context(serving("worker", [str(DEVFORGE), "worker"], env, workdir))
        rss_start = rss_mib(api.pid)
        # The bare endpoint is measured first and last: the two rows show how much the machine drifted.
        targets: list[tuple[str, str, list[str], tuple[Path, str] | None]]
        if suite == "core":
            bearer = f"Authorization: Bearer {sign_in(api_url)}"
            # devforge serve writes an answer in one system call (server_protocol.py): the same
            # bare app served that way is the stricter yardstick, measured beside uvicorn's own.
            same_port = free_port()
            same_command = [sys.executable, str(BENCH / "bare_app.py"), "--port", str(same_port), "--coalescing"]
            same = stack.enter_context(serving("bare-coalescing", same_command, env, workdir))
            wait_ready(f"http://127.0.0.1:{same_port}/", "bare-coalescing", same)
            targets = [
                ("bare Litestar GET /", f"{bare_url}/", [], None),
                (BARE_SAME_PROTOCOL, f"http://127.0.0.1:{same_port}/", [], None),
                ("devforge GET /health/live", f"{api_url}/health/live", [], None),
                ("devforge GET /api/auth/me", f"{api_url}/api/auth/me", [bearer], None),
                (f"{BARE_SAME_PROTOCOL} (again)", f"http://127.0.0.1:{same_port}/", [], None),
                ("bare Litestar GET / (again)", f"{bare_url}/", [], None),
            ]
            if profile == "production":  # /me reads the database on a miss: beside the bare select too
                targets.insert(1, (SELECT_LABEL, f"{bare_url}/row", [], None))
                targets.append((f"{SELECT_LABEL} (again)", f"{bare_url}/row", [], None))
        elif suite == "marketplace":
            searches, pages = marketplace_paths(api_url, workdir)
            bare_label, bare_path = (SELECT_LABEL if profile == "production" else SQLITE_SELECT_LABEL), "/row"
            mix = (workdir / "queries.txt", "mix")
            targets = [
                (bare_label, f"{bare_url}{bare_path}", [], None),
                ("devforge GET /api/extensions, the Zipf mix (2,000 queries, sorts, filters)", api_url, [], mix),
                ("devforge GET /api/extensions?q=<word> (search, relevance)", f"{api_url}/", [], (searches, "paths")),
                ("devforge GET /api/extensions (browse by downloads, pages 1-3)", f"{api_url}/", [], (pages, "paths")),
                (f"{bare_label} (again)", f"{bare_url}{bare_path}", [], None),
            ]
        else:
            bare_label, bare_path = (SELECT_LABEL if profile == "production" else SQLITE_SELECT_LABEL), "/row"
            validate = f"{api_url}/api/licenses/validate"
            targets = [
                (bare_label, f"{bare_url}{bare_path}", [], None),
                ("devforge POST /api/licenses/validate, warm cache", validate, [], (keys_file, "warm")),
                (
                    "devforge POST /api/licenses/validate, cold (each key's first validation)",
                    validate,
                    [],
                    (cold_file, "cold"),
                ),
                (f"{bare_label} (again)", f"{bare_url}{bare_path}", [], None),
            ]
        loads = [(label, measure(wrk, label, url, headers, script, args)) for label, url, headers, script in targets]
        memory = f"{rss_start} after start-up, {rss_mib(api.pid)} after the run (bare app: {rss_mib(bare.pid)})"
        uploads = upload_figure(api_url, args) if suite == "marketplace" and args.uploads else ""
    return section(f"{suite}: {profile}", loads, memory) + uploads


def marketplace_paths(api_url: str, workdir: Path) -> tuple[Path, Path]:
    """A search per vocabulary word, and the first three browse pages (cursors from the API)."""
    words = (workdir / "words.txt").read_text().split()
    searches, pages = workdir / "searches.txt", workdir / "pages.txt"
    searches.write_text("".join(f"/api/extensions?q={word}\n" for word in words))
    path, browse = "/api/extensions", ["/api/extensions"]
    for _ in range(2):
        with urllib.request.urlopen(f"{api_url}{path}", timeout=30) as response:  # noqa: S310 - our own server
            cursor = json.loads(response.read())["nextCursor"]
        path = f"/api/extensions?cursor={cursor}"
        browse.append(path)
    pages.write_text("\n".join(browse) + "\n")
    return searches, pages


def upload_figure(api_url: str, args: argparse.Namespace) -> str:
    progress(f"uploading a 20 MB package {args.uploads} times, each timed to its review verdict")
    command = [sys.executable, str(BENCH / "upload_package.py"), "--url", api_url, "--rounds", str(args.uploads)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        return f"\n\nUpload bench failed:\n\n```\n{done.stderr[-2000:]}\n```"
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    totals = figures["total_s"]
    phases = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in figures["phase_median_s"].items())
    return (
        f"\n\nUpload of a {figures['size_mb']} MB package to the review verdict ({figures['verdict']}), "
        f"{len(totals)} rounds: min {min(totals):.2f} s, median {median(totals):.2f} s, max {max(totals):.2f} s "
        f"(all: {', '.join(f'{t:.2f}' for t in totals)}); the upload request itself answered in median "
        f"{median(figures['uploads_s']):.2f} s. Median per phase, from the review history: {phases}."
    )


def measure(
    wrk: str, label: str, url: str, headers: list[str], keys: tuple[Path, str] | None, args: argparse.Namespace
) -> Load:
    progress(f"{label}: {args.warmup} s warm-up, {args.duration} s measured, {args.connections} connections")
    if keys is None:
        wrk_run(wrk, url, headers, args.warmup, args.connections)
        load = wrk_run(wrk, url, headers, args.duration, args.connections)
    elif keys[1] == "mix":  # the same seeded draw in the warm-up and the measured run
        wrk_run(wrk, url, headers, args.warmup, args.connections, (MIX_LUA, keys[0], "12", 1))
        load = wrk_run(wrk, url, headers, args.duration, args.connections, (MIX_LUA, keys[0], "12", 1))
    elif keys[1] == "paths":
        wrk_run(wrk, url, headers, args.warmup, args.connections, (PATHS_LUA, keys[0], "", 0))
        load = wrk_run(wrk, url, headers, args.duration, args.connections, (PATHS_LUA, keys[0], "", 0))
    elif keys[1] == "warm":
        warm_cache(wrk, url, keys[0], args)
        load = wrk_run(wrk, url, headers, args.duration, args.connections, (LUA, keys[0], "random", 0))
    else:
        # Every request validates a key no request validated before: the cache miss, measured.
        load = wrk_run(wrk, url, headers, args.duration, args.connections, (LUA, keys[0], "sweep", 0))
        total = sum(1 for _ in keys[0].open())
        if load.requests > total:
            progress(f"  warning: {load.requests:,} requests walked past the {total:,} cold keys; some were warm")
    progress(f"  {load.requests_per_second:,.0f} req/s, p50 {load.p50_ms:.2f} ms, p99 {load.p99_ms:.2f} ms")
    return load


def warm_cache(wrk: str, url: str, keys: Path, args: argparse.Namespace) -> None:
    """Validate every key of the sample twice, in 5 s runs each going on where the last stopped:
    the first validation of a key fills the shared cache (Redis in production), the second the
    API process's own copy of it."""
    total, done = sum(1 for _ in keys.open()), 0
    while done < 2 * total:
        done += wrk_run(wrk, url, [], 5, args.connections, (LUA, keys, "sweep", done % total)).requests
        progress(f"  cache warm-up: {min(done, 2 * total):,}/{2 * total:,} validations of the {total:,} keys")


def devforge_env(
    profile: str, data_dir: Path, port: int, args: argparse.Namespace, clickhouse_url: str = ""
) -> dict[str, str]:
    """Production's analytics store is ClickHouse at ``clickhouse_url`` (``clickhouse_standin``'s):
    the API process talks to it over HTTP and never loads chDB."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DEVFORGE_")}
    env |= {
        "DEVFORGE_PROFILE": profile,
        "DEVFORGE_HOST": "127.0.0.1",
        "DEVFORGE_PORT": str(port),
        "DEVFORGE_DATA_DIR": str(data_dir),
        "DEVFORGE_LOG_LEVEL": "warning",
        "DEVFORGE_RATE_LIMIT_API_PER_MINUTE": HIGH_LIMIT,
        "DEVFORGE_RATE_LIMIT_AUTH_PER_MINUTE": HIGH_LIMIT,
        "DEVFORGE_RATE_LIMIT_LICENSE_PER_MINUTE": HIGH_LIMIT,
        "DEVFORGE_MARKETPLACE_DOWNLOADS_PER_MINUTE": HIGH_LIMIT,  # the per-address download limit too
    }
    if profile == "production":
        env |= {
            "DEVFORGE_MALWARE_SCANNER": "builtin",  # no clamd on the bench machine (see README)
            "DEVFORGE_PAYMENT_PROVIDER": "sandbox",  # no Stripe key here: production would refuse to start
            "DEVFORGE_ANALYTICS_STORE": "clickhouse",  # the stand-in in its own process (clickhouse_standin)
            "DEVFORGE_CLICKHOUSE_URL": clickhouse_url,
            "DEVFORGE_CLICKHOUSE_USER": "analytics",
            "DEVFORGE_CLICKHOUSE_PASSWORD": "s3cret",
            "DEVFORGE_DATABASE_URL": args.database_url,
            "DEVFORGE_REDIS_URL": args.redis_url,
            "DEVFORGE_SECRET_KEY": secrets.token_urlsafe(48),
        }
    return env


@contextlib.contextmanager
def clickhouse_standin(workdir: Path) -> Iterator[str]:
    """No ClickHouse server on the bench machine: bench/clickhouse_standin.py (chDB behind
    ClickHouse's HTTP interface) in a process of its own; yields its URL for ``devforge_env``."""
    port = free_port()
    command = [sys.executable, str(BENCH / "clickhouse_standin.py"), "--port", str(port)]
    command += ["--data-dir", str(workdir / "clickhouse")]
    with serving("clickhouse", command, dict(os.environ), workdir) as process:
        url = f"http://127.0.0.1:{port}"
        wait_ready(f"{url}/ping", "ClickHouse stand-in", process)
        yield url


@contextlib.contextmanager
def serving(name: str, command: list[str], env: dict[str, str], workdir: Path) -> Iterator[subprocess.Popen[bytes]]:
    """The process runs in its own session, so Ctrl-C reaches only us and we stop it here."""
    with (workdir / f"{name}.log").open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
            if process.returncode not in (0, -15):
                print((workdir / f"{name}.log").read_text(errors="replace")[-3000:], file=sys.stderr)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def header(wrk: str) -> str:
    version = subprocess.run([wrk, "-v"], capture_output=True, text=True, timeout=10).stdout.split(" [")[0]
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    return (
        f"# devforge bench, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"`{shlex.join([os.path.relpath(sys.executable), *sys.argv])}` on {os.cpu_count()} CPUs ({cpu}), "
        f"Python {platform.python_version()}, {version}, `-t 2 --latency`, warm-up discarded; "
        f"1-minute load average before the run: {os.getloadavg()[0]:.2f}."
    )


def section(profile: str, loads: list[tuple[str, Load]], memory: str) -> str:
    """One ratio column per kind of bare row (the bare GET, the bare select), each against the
    mean of that kind's rows (measured first and last)."""
    kinds: dict[str, list[Load]] = {}
    for label, load in loads:
        if label.startswith("bare"):
            kinds.setdefault(label.removesuffix(" (again)"), []).append(load)
    baselines = {kind: mean(load.requests_per_second for load in rows) for kind, rows in kinds.items()}
    bare_p50 = mean(load.p50_ms for rows in kinds.values() for load in rows)
    bare_p99 = mean(load.p99_ms for rows in kinds.values() for load in rows)
    names = {
        kind: "bare select" if "select" in kind else "bare GET, one write" if "one-write" in kind else "bare GET"
        for kind in baselines
    }
    head = ["endpoint", "req/s", *(f"req/s vs {names[kind]}" for kind in baselines), "p50 ms", "p99 ms"]
    head += ["p50 vs bare", "p99 vs bare", "errors"]
    lines = [f"\n## {profile}\n", "| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for label, load in loads:
        rps, p50, p99 = load.requests_per_second, load.p50_ms, load.p99_ms
        cells = [label, f"{rps:,.0f}", *(f"{rps / base:.3f}x" for base in baselines.values())]
        cells += [f"{p50:.2f}", f"{p99:.2f}", f"{p50 / bare_p50:.1f}x", f"{p99 / bare_p99:.1f}x", str(load.errors)]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append(f"\nResident memory (VmRSS) of the API process: {memory}.")
    return "\n".join(lines)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds like Ctrl-C: the servers are stopped
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
