"""Six 48 MiB packages reviewed at once by one embedded API process: its memory, and search meanwhile.

Starts ``devforge serve`` (embedded: the worker, and so the review pipeline, runs inside the API
process), seeds extensions to search, creates a publisher and an extension over HTTP, then:

1. probes search alone for ``--idle-seconds`` (the idle figure);
2. uploads ``--packages`` packages of ``--megabytes`` MiB at once (new versions of one extension:
   manifest, README, CHANGELOG, LICENSE, icon, entry point and four stored blobs of random bytes)
   and keeps probing search until every version has its verdict (the figure during the reviews).

The search probe is one client on a keep-alive connection asking ``GET /api/extensions?q=<word>``
every ``--probe-interval-ms`` (words from the seed's vocabulary, in turn): a paced probe measures
how long a search waits while reviews run, not how many searches the box can push through. VmRSS
of the API process is sampled every 50 ms from /proc (and, separately, that of its child
processes, if any). Prints a markdown block for bench/README.md.

    .venv/bin/python bench/review_memory.py [--packages 6] [--megabytes 48] [--extensions 20000]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from statistics import median
from urllib.parse import urlsplit

from harness import progress, wait_ready
from run import DEVFORGE, devforge_env, free_port, serving
from upload_package import VERDICTS, call, package, studio

BENCH = Path(__file__).resolve().parent


class RssSampler(threading.Thread):
    """The API process's VmRSS (and its children's, summed) every ``every`` seconds, in MiB."""

    def __init__(self, pid: int, every: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples: list[tuple[float, float, float]] = []  # (time, own, children)
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            with contextlib.suppress(OSError, StopIteration, ValueError):
                self.samples.append((time.monotonic(), vm_rss(self.pid), sum(map(vm_rss, children(self.pid)))))
            self._halt.wait(self.every)

    def stop(self) -> None:
        self._halt.set()
        self.join()

    def peak(self, since: float = 0.0) -> tuple[float, float]:
        window = [sample for sample in self.samples if sample[0] >= since]
        return max(own for _, own, _ in window), max(own + kids for _, own, kids in window)


def vm_rss(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024
    except FileNotFoundError:
        return 0.0


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            for child in (task / "children").read_text().split():
                found += [int(child), *children(int(child))]
    return found


class SearchProbe(threading.Thread):
    """One paced client: a search every ``interval`` seconds, latencies in ms, by start time."""

    def __init__(self, base: str, words: list[str], interval: float) -> None:
        super().__init__(daemon=True)
        self.url, self.words, self.interval = urlsplit(base), words, interval
        self.latencies: list[tuple[float, float]] = []
        self.errors = 0
        self._halt = threading.Event()

    def run(self) -> None:
        connection = http.client.HTTPConnection(self.url.hostname or "127.0.0.1", self.url.port, timeout=30)
        n = 0
        while not self._halt.is_set():
            word = self.words[n % len(self.words)]
            n += 1
            started = time.monotonic()
            try:
                connection.request("GET", f"/api/extensions?q={word}")
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(self.url.hostname or "127.0.0.1", self.url.port, timeout=30)
                ok = False
            done = time.monotonic()
            if ok:
                self.latencies.append((started, (done - started) * 1000))
            else:
                self.errors += 1
            self._halt.wait(max(0.0, self.interval - (done - started)))
        connection.close()

    def stop(self) -> None:
        self._halt.set()
        self.join()

    def between(self, start: float, end: float) -> list[float]:
        return [ms for at, ms in self.latencies if start <= at < end]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def phase(latencies: list[float], idle: list[float]) -> str:
    if not latencies:
        return "no search in this phase"
    p99 = percentile(latencies, 0.99)
    return (
        f"{len(latencies)} requests, p50 {percentile(latencies, 0.5):.1f} ms, p99 {p99:.1f} ms "
        f"({p99 / percentile(idle, 0.99):.2f}x idle)"
    )


def upload_and_wait(
    base: str, key: str, token: str, extension_id: str, version: str, archive: bytes, answered: list[float]
) -> str:
    url = f"{base}/api/extensions/{extension_id}/versions?version={version}&targetPlatform=universal"
    status, uploaded = call("POST", url, archive, {"Authorization": f"Bearer {key}", "Content-Type": "application/zip"})
    answered.append(time.monotonic())
    if status != 202:
        return f"upload refused {status}: {uploaded}"
    while True:
        _, review = call("GET", base + uploaded["reviewUrl"], None, {"Authorization": f"Bearer {token}"})
        if review.get("state") in VERDICTS:
            return str(review["state"])
        time.sleep(0.2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=int, default=6)
    parser.add_argument("--megabytes", type=int, default=48, help="MiB of each package")
    parser.add_argument("--extensions", type=int, default=20_000, help="extensions seeded to search")
    parser.add_argument("--idle-seconds", type=float, default=10.0)
    parser.add_argument("--probe-interval-ms", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, help="DEVFORGE_MARKETPLACE_REVIEW_CONCURRENCY, else its default")
    parser.add_argument(
        "--in-thread", action="store_true", help="DEVFORGE_MARKETPLACE_REVIEW_PROCESSES=false: the checks in a thread"
    )
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--ready-seconds", type=float, default=60.0, help="how long start-up may take (a busy box)")
    args = parser.parse_args()
    started_at = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="devforge-review-memory-") as scratch, contextlib.ExitStack() as stack:
        workdir = Path(scratch)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = devforge_env("embedded", workdir / "data", port, argparse.Namespace())
        env["DEVFORGE_MAX_PACKAGE_BYTES"] = str((args.megabytes + 1) * 1024 * 1024)
        if args.concurrency:
            env["DEVFORGE_MARKETPLACE_REVIEW_CONCURRENCY"] = str(args.concurrency)
        if args.in_thread:
            env["DEVFORGE_MARKETPLACE_REVIEW_PROCESSES"] = "false"
        subprocess.run([str(DEVFORGE), "migrate"], env=env, timeout=120, check=True, capture_output=True)
        progress(f"seeding {args.extensions:,} extensions")
        seed = [sys.executable, str(BENCH / "seed_marketplace.py"), "--count", str(args.extensions)]
        subprocess.run([*seed, "--words-out", str(workdir / "words.txt")], env=env, timeout=900, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        words = (workdir / "words.txt").read_text().split()
        api = stack.enter_context(serving("devforge", [str(DEVFORGE), "serve"], env, workdir))
        wait_ready(f"{base}/health/live", "devforge", api, seconds=args.ready_seconds)
        key, token, extension_id = studio(base)
        progress(f"building {args.packages} packages of {args.megabytes} MiB")
        archives = [package(f"1.0.{n}", args.megabytes) for n in range(args.packages)]
        call("GET", f"{base}/api/extensions?q={words[0]}")  # the first search builds the listing index
        rss = RssSampler(api.pid)
        probe = SearchProbe(base, words, args.probe_interval_ms / 1000)
        rss.start()
        probe.start()
        time.sleep(1.0)  # the probe's connection and the first searches warm up, unmeasured
        idle_from = time.monotonic()
        progress(f"search alone for {args.idle_seconds:.0f} s")
        time.sleep(args.idle_seconds)
        idle_until = time.monotonic()
        rss_idle = rss.samples[-1][1]
        progress(f"uploading {args.packages} packages at once; searching until every verdict")
        answered: list[float] = []
        with ThreadPoolExecutor(args.packages) as pool:
            upload: Callable[[int], str] = lambda n: upload_and_wait(  # noqa: E731
                base, key, token, extension_id, f"1.0.{n}", archives[n], answered
            )
            futures = [pool.submit(upload, n) for n in range(args.packages)]
            verdicts = [future.result(timeout=args.timeout) for future in futures]
        busy_until = time.monotonic()
        probe.stop()
        rss.stop()
        size_mib = len(archives[0]) / (1024 * 1024)
    idle, busy = probe.between(idle_from, idle_until), probe.between(idle_until, busy_until)
    uploads_done = max(answered)
    uploading, reviewing = probe.between(idle_until, uploads_done), probe.between(uploads_done, busy_until)
    peak_own, peak_total = rss.peak(idle_until)
    concurrency = f"{args.concurrency or 'default'}, {'in a thread' if args.in_thread else 'in child processes'}"
    lines = [
        f"### {args.packages} reviews of {size_mib:.1f} MiB at once, embedded, {started_at:%Y-%m-%d %H:%M} UTC",
        "",
        f"`{shlex.join([os.path.relpath(sys.executable), *sys.argv])}` on {os.cpu_count()} CPUs; review "
        f"concurrency: {concurrency}; 1-minute load average at the end: {os.getloadavg()[0]:.2f}.",
        "",
        f"- verdicts: {', '.join(verdicts)}; all {args.packages} within {busy_until - idle_until:.1f} s of the "
        "first upload",
        f"- VmRSS of the API process: {rss_idle:.0f} MiB idle, peak {peak_own:.0f} MiB during the reviews "
        f"(with its child processes: {peak_total:.0f} MiB)",
        f"- search, idle: {len(idle)} requests, p50 {percentile(idle, 0.5):.1f} ms, "
        f"p99 {percentile(idle, 0.99):.1f} ms",
        f"- search, during the uploads and reviews: {len(busy)} requests, p50 {percentile(busy, 0.5):.1f} ms, "
        f"p99 {percentile(busy, 0.99):.1f} ms (p99 {percentile(busy, 0.99) / percentile(idle, 0.99):.2f}x idle, "
        f"median {median(busy) / median(idle):.2f}x); {probe.errors} errors",
        f"  - while the uploads streamed in ({uploads_done - idle_until:.1f} s): {phase(uploading, idle)}",
        f"  - after every upload was answered, reviews only ({busy_until - uploads_done:.1f} s): "
        f"{phase(reviewing, idle)}",
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
