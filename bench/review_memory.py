"""Six 48 MiB packages reviewed at once by one embedded API process: its memory, and search meanwhile.

Starts ``devforge serve`` (embedded: the worker, and so the review pipeline, runs inside the API
process), seeds extensions to search, creates a publisher and an extension over HTTP, then:

1. probes search alone for ``--idle-seconds`` (the idle figure);
2. uploads ``--packages`` packages of ``--megabytes`` MiB at once (new versions of one extension:
   manifest, README, CHANGELOG, LICENSE, icon, entry point and four stored blobs of random bytes)
   and keeps probing search until every version has its verdict (the figure during the reviews).

The search probe is one client on a keep-alive connection asking ``GET /api/extensions?q=<word>``
every ``--probe-interval-ms`` (words from the seed's vocabulary, in turn): a paced probe measures
how long a search waits while reviews run, not how many searches the box can push through. It runs
in a process of its own, apart from the upload clients' threads and the memory sampler. VmRSS
of the API process is sampled every 50 ms from /proc (and, separately, that of its child
processes, if any). Prints a markdown block for bench/README.md.

    .venv/bin/python bench/review_memory.py [--packages 6] [--megabytes 48] [--extensions 20000]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import multiprocessing
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
from typing import Any
from urllib.parse import urlsplit

from harness import progress, wait_ready
from run import DEVFORGE, devforge_env, free_port, serving
from upload_package import VERDICTS, call, package, studio

BENCH = Path(__file__).resolve().parent


class RssSampler(threading.Thread):
    """The API process's VmRSS (and its children's, summed) every ``every`` seconds, in MiB; and
    its main thread's (the event loop's) time on a CPU and waiting for one, in ms."""

    def __init__(self, pid: int, every: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples: list[tuple[float, float, float]] = []  # (time, own, children)
        self.loop: list[tuple[float, float, float]] = []  # (time, on a CPU, waiting for one)
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            with contextlib.suppress(OSError, StopIteration, ValueError):
                self.samples.append((time.monotonic(), vm_rss(self.pid), sum(map(vm_rss, children(self.pid)))))
            with contextlib.suppress(OSError, ValueError):
                running, waiting, _ = Path(f"/proc/{self.pid}/schedstat").read_text().split()
                self.loop.append((time.monotonic(), int(running) / 1e6, int(waiting) / 1e6))
            self._halt.wait(self.every)

    def loop_share(self, start: float, end: float) -> str:
        """How the event loop's thread spent ``start``..``end``: on a CPU, waiting for one (the
        machine's other work, the review child on SCHED_IDLE never), the rest asleep or blocked."""
        window = [sample for sample in self.loop if start <= sample[0] <= end]
        if len(window) < 2:
            return "loop: too short to tell"
        (began, ran, waited), (ended, running, waiting) = window[0], window[-1]
        wall = (ended - began) * 1000
        return f"loop on a CPU {(running - ran) / wall:.0%}, waiting for one {(waiting - waited) / wall:.0%}"

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


class SearchProbe:
    """One paced client: a search every ``interval`` seconds, latencies in ms, by start time.

    It runs in a process of its own: in this one its thread shared the GIL with the six upload
    clients' threads (urllib, JSON, five polls a second each) and the memory sampler, so a search's
    answer could wait here for a thread of the bench before it was timed."""

    def __init__(self, base: str, words: list[str], interval: float) -> None:
        context = multiprocessing.get_context("spawn")
        self._halt = context.Event()
        self._results, sending = context.Pipe(duplex=False)
        self._process = context.Process(target=probe_searches, args=(base, words, interval, self._halt, sending))
        self.latencies: list[tuple[float, float]] = []
        self.errors = 0

    def start(self) -> None:
        """Returns once the probe's process has had its first answer (an interpreter's start is
        no part of the idle window)."""
        self._process.start()
        self._results.recv()

    def stop(self) -> None:
        self._halt.set()
        self.latencies, self.errors = self._results.recv()
        self._process.join()

    def between(self, start: float, end: float) -> list[float]:
        return [ms for at, ms in self.latencies if start <= at < end]


def probe_searches(base: str, words: list[str], interval: float, halt: Any, results: Any) -> None:
    """``SearchProbe``'s process: time.monotonic is the system's, so its times compare with the bench's."""
    url = urlsplit(base)
    latencies: list[tuple[float, float]] = []
    errors, n = 0, 0
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=30)
    connection.request("GET", f"/api/extensions?q={words[0]}")
    connection.getresponse().read()
    results.send("ready")
    while not halt.is_set():
        word = words[n % len(words)]
        n += 1
        started = time.monotonic()
        try:
            connection.request("GET", f"/api/extensions?q={word}")
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=30)
            ok = False
        done = time.monotonic()
        if ok:
            latencies.append((started, (done - started) * 1000))
        else:
            errors += 1
        halt.wait(max(0.0, interval - (done - started)))
    connection.close()
    results.send((latencies, errors))


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


class Uploaders:
    """The publishers' clients: ``packages`` uploads at once, each then polling its review until a
    verdict, in a process of their own (threads there) at ``nice``. On a publisher's own machine a
    client's sending costs the API's machine nothing; here, on the same cores, sending 48 MiB over
    loopback is CPU work (the kernel's copy and its TCP processing, charged to the sender) that
    would otherwise compete with the API process and the search probe as an equal."""

    def __init__(self, base: str, studio: tuple[str, str, str], packages: int, megabytes: int, nice: int) -> None:
        context = multiprocessing.get_context("spawn")
        self._go = context.Event()
        self._results, sending = context.Pipe(duplex=False)
        arguments = (base, studio, packages, megabytes, nice, self._go, sending)
        self._process = context.Process(target=upload_all, args=arguments)

    def start(self) -> int:
        """Once the packages are built; their size in bytes."""
        self._process.start()
        size: int = self._results.recv()
        return size

    def run(self, timeout: float) -> tuple[list[str], list[float]]:
        """Every upload's verdict and when each upload was answered."""
        self._go.set()
        if not self._results.poll(timeout):
            self._process.kill()
            raise TimeoutError(f"no verdict for every upload within {timeout:.0f} s")
        verdicts, answered = self._results.recv()
        self._process.join()
        return verdicts, answered


def upload_all(
    base: str, studio: tuple[str, str, str], packages: int, megabytes: int, nice: int, go: Any, results: Any
) -> None:
    """``Uploaders``' process."""
    os.nice(nice)
    key, token, extension_id = studio
    archives = [package(f"1.0.{n}", megabytes) for n in range(packages)]
    results.send(len(archives[0]))
    go.wait()
    answered: list[float] = []
    with ThreadPoolExecutor(packages) as pool:
        upload: Callable[[int], str] = lambda n: upload_and_wait(  # noqa: E731
            base, key, token, extension_id, f"1.0.{n}", archives[n], answered
        )
        verdicts = list(pool.map(upload, range(packages)))
    results.send((verdicts, answered))


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
    parser.add_argument(
        "--uploader-nice", type=int, default=10,
        help="niceness of the upload clients' process (0: they compete with the API and the probe as equals)",
    )  # fmt: skip
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
        progress(f"building {args.packages} packages of {args.megabytes} MiB")
        uploaders = Uploaders(base, studio(base), args.packages, args.megabytes, args.uploader_nice)
        size = uploaders.start()
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
        verdicts, answered = uploaders.run(args.timeout)
        busy_until = time.monotonic()
        probe.stop()
        rss.stop()
        size_mib = size / (1024 * 1024)
    idle, busy = probe.between(idle_from, idle_until), probe.between(idle_until, busy_until)
    uploads_done = max(answered)
    uploading, reviewing = probe.between(idle_until, uploads_done), probe.between(uploads_done, busy_until)
    peak_own, peak_total = rss.peak(idle_until)
    concurrency = f"{args.concurrency or 'default'}, {'in a thread' if args.in_thread else 'in child processes'}"
    lines = [
        f"### {args.packages} reviews of {size_mib:.1f} MiB at once, embedded, {started_at:%Y-%m-%d %H:%M} UTC",
        "",
        f"`{shlex.join([os.path.relpath(sys.executable), *sys.argv])}` on {os.cpu_count()} CPUs; review "
        f"concurrency: {concurrency}; upload clients at nice {args.uploader_nice}; 1-minute load average at "
        f"the end: {os.getloadavg()[0]:.2f}.",
        "",
        f"- verdicts: {', '.join(verdicts)}; all {args.packages} within {busy_until - idle_until:.1f} s of the "
        "first upload",
        f"- VmRSS of the API process: {rss_idle:.0f} MiB idle, peak {peak_own:.0f} MiB during the reviews "
        f"(with its child processes: {peak_total:.0f} MiB)",
        f"- search, idle: {len(idle)} requests, p50 {percentile(idle, 0.5):.1f} ms, "
        f"p99 {percentile(idle, 0.99):.1f} ms; {rss.loop_share(idle_from, idle_until)}",
        f"- search, during the uploads and reviews: {len(busy)} requests, p50 {percentile(busy, 0.5):.1f} ms, "
        f"p99 {percentile(busy, 0.99):.1f} ms (p99 {percentile(busy, 0.99) / percentile(idle, 0.99):.2f}x idle, "
        f"median {median(busy) / median(idle):.2f}x); {probe.errors} errors",
        f"  - while the uploads streamed in ({uploads_done - idle_until:.1f} s): {phase(uploading, idle)}; "
        f"{rss.loop_share(idle_until, uploads_done)}",
        f"  - after every upload was answered, reviews only ({busy_until - uploads_done:.1f} s): "
        f"{phase(reviewing, idle)}; {rss.loop_share(uploads_done, busy_until)}",
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
