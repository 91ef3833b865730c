"""How late an event loop wakes while package reviews run beside it: child processes or a thread.

No server, no HTTP: one process runs the review pipeline (the served checks: tree-sitter, YARA-X,
the SPDX list, and the built-in malware scanner) over ``--packages`` packages of ``--megabytes``
MiB one after the other (the default review concurrency), while a ticker on the same event loop
sleeps 2 ms again and again and records how late each wake-up is. The lateness is what any
request on that loop would wait for the GIL (and for a core). ``--analysis processes`` is what
``devforge serve`` and ``devforge worker`` do (``ProcessPoolAnalysis``), ``thread`` what
``DEVFORGE_MARKETPLACE_REVIEW_PROCESSES=false`` does (``InThreadAnalysis``). Both alternate in one
run, ``--rounds`` times each, so a busy machine weighs on both alike.

``--uploads`` measures the other half of what a review costs the API process: reading its package
from the client (``upload_lag.py``: a uvicorn server with devforge's protocol on the ticker's loop,
a client process sending ``--packages`` bodies at once), with the CPU of the loop's thread per body
and per ASGI message.

    .venv/bin/python bench/review_loop_lag.py [--packages 4] [--megabytes 48] [--rounds 2]
    .venv/bin/python bench/review_loop_lag.py --uploads [--packages 6] [--megabytes 48] [--streams 2]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

from upload_package import package

from devforge.adapters.scanning.builtin_malware_scanner import BuiltinMalwareScanner
from devforge.adapters.scanning.review_processes import ProcessPoolAnalysis, served_checks
from devforge.application.marketplace.package_checks import InThreadAnalysis, ReviewAnalysis, UploadSlot
from devforge.application.marketplace.review_pipeline import ReviewPipeline
from devforge.application.marketplace.review_policy import ReviewPolicy

TICK = 0.002


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def ticker(lateness: list[float], halt: asyncio.Event) -> None:
    while not halt.is_set():
        started = time.perf_counter()
        await asyncio.sleep(TICK)
        lateness.append((time.perf_counter() - started - TICK) * 1000)


async def measured(seconds: float | None, work: object = None) -> list[float]:
    lateness: list[float] = []
    halt = asyncio.Event()
    task = asyncio.create_task(ticker(lateness, halt))
    if seconds is not None:
        await asyncio.sleep(seconds)
    else:
        await work  # type: ignore[misc]
    halt.set()
    await task
    return lateness


async def one_round(mode: str, files: list[Path]) -> str:
    policy = ReviewPolicy()
    analysis: ReviewAnalysis
    if mode == "processes":
        pool = ProcessPoolAnalysis(partial(served_checks, policy), 1)
        await pool.analyse(files[0], UploadSlot("benchpub", "bench-brackets", "1.0.0"))  # the child is up
        analysis = pool
    else:
        analysis = InThreadAnalysis(served_checks(policy))
    pipeline = ReviewPipeline(policy, BuiltinMalwareScanner(limits=policy.limits), analysis)

    async def reviews() -> None:
        for n, path in enumerate(files):
            await pipeline.run(path, UploadSlot("benchpub", "bench-brackets", f"1.0.{n}"))

    idle = await measured(2.0)
    started = time.perf_counter()
    busy = await measured(None, reviews())
    took = time.perf_counter() - started
    if isinstance(analysis, ProcessPoolAnalysis):
        await analysis.close()
    return (
        f"| {mode} | {len(files)} in {took:.1f} s | {percentile(idle, 0.99):.1f} | {percentile(busy, 0.5):.2f} | "
        f"{percentile(busy, 0.99):.1f} | {max(busy):.1f} |"
    )


async def reviews(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="devforge-loop-lag-") as scratch:
        files = []
        for n in range(args.packages):
            path = Path(scratch) / f"{n}.zip"
            path.write_bytes(package(f"1.0.{n}", args.megabytes))
            files.append(path)
        rows = [await one_round(mode, files) for _ in range(args.rounds) for mode in ("processes", "thread")]
    print("| analysis | reviews | lateness idle p99 ms | during p50 ms | during p99 ms | during max ms |")
    print("|---|---|---:|---:|---:|---:|")
    print("\n".join(rows))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=int, default=4)
    parser.add_argument("--megabytes", type=int, default=48)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--uploads", action="store_true", help="the bodies' reading, not the reviews")
    parser.add_argument("--streams", type=int, default=2, help="with --uploads: bodies read at once")
    args = parser.parse_args()
    if args.uploads:
        import uvloop
        from upload_lag import upload_rounds

        return uvloop.run(upload_rounds(args.packages, args.megabytes, args.rounds, args.streams))
    return asyncio.run(reviews(args))


if __name__ == "__main__":
    sys.exit(main())
