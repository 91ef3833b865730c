"""The review's package analysis in a pool of child processes (``ReviewAnalysis``).

Unpacking, hashing, the secret scan, the code analyser (tree-sitter) and YARA are CPU work that
holds the GIL in long stretches: in a thread of the process that also serves requests (the
embedded profile runs the worker in the API process) a search waited up to 75 ms behind them.
In a child process they hold only the child's.

- The pool has ``workers`` processes, the review concurrency setting (``ReviewSlots`` lets no more
  reviews run at once), and is started on the first review, not at start-up: a process that never
  reviews never pays for it.
- Children are started with ``spawn``, not ``fork``: a fresh interpreter that imports only the
  checks and builds them once (``build``, a picklable callable such as ``served_checks``),
  rather than a copy of an event loop's process with its threads, sockets and locks.
- A child that dies (killed, out of memory) breaks the pool: the reviews it had are
  ``AnalysisCrashed`` (the pipeline errors them and tells the administrators), the broken pool is
  dropped, and the next review starts a fresh one.
- Children run as background work: Linux's ``SCHED_IDLE`` policy (they get a core only when no
  other task wants it; nice 10 elsewhere), on the CPUs ``review_cpus`` leaves them (by default
  all but one, so a review never takes the core the requests run on). Nice 10 alone still gave a
  review's child a share of a busy core: the API's searches waited for it at their tail.
  This process puts each child there as soon as it exists (``BackgroundSpawn``): a child's start
  (a fresh interpreter that imports the ``devforge`` script's modules, about 1.3 s of CPU, before
  its initializer runs) came during the first review, beside the uploads, at the requests' own
  priority and on their core.
- ``close`` shuts the pool down with the container; a child also ends on its own when its
  parent dies (its task queue's pipe closes).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable, Set
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import SpawnContext, SpawnProcess
from pathlib import Path
from typing import Any

from devforge.application.marketplace.malware_scanner import PackageFileScanner
from devforge.application.marketplace.package_checks import (
    AnalysisCrashed,
    PackageAnalysis,
    PackageChecks,
    UploadSlot,
)
from devforge.application.marketplace.review_policy import ReviewPolicy

NICENESS = 10  # added to the children's where SCHED_IDLE is not to be had
_checks: PackageChecks | None = None  # in a child: built once, by ``_start``


def served_checks(policy: ReviewPolicy) -> PackageChecks:
    """The checks the served profiles run: tree-sitter, YARA-X, the SPDX list. Imported here, in
    the process that reviews (a child of the pool): an API process that never reviews does not
    load YARA-X and the grammars (about 6 MiB resident)."""
    from devforge.adapters.scanning.tree_sitter_code_analyser import TreeSitterCodeAnalyser
    from devforge.adapters.scanning.yara_signature_scanner import YaraSignatureScanner
    from devforge.adapters.spdx.license_expressions import SpdxLicenseExpressions

    return PackageChecks(policy, SpdxLicenseExpressions(), TreeSitterCodeAnalyser(), YaraSignatureScanner())


def review_cpus(wanted: int, available: Set[int] | None = None) -> frozenset[int]:
    """The CPUs review processes run on: the last ``wanted`` of this process's (0: all but the
    first when there are more than one, else the one there is)."""
    if available is None and not hasattr(os, "sched_getaffinity"):
        return frozenset()  # not Linux: wherever the kernel puts them
    cpus = sorted(os.sched_getaffinity(0) if available is None else available)
    count = wanted or max(1, len(cpus) - 1)
    return frozenset(cpus[-count:])


class ProcessPoolAnalysis:
    def __init__(self, build: Callable[[], PackageChecks], workers: int, cpus: Set[int] = frozenset()) -> None:
        """``cpus``: where the children may run (empty: wherever this process may)."""
        if workers < 1:
            raise ValueError("At least one review process is needed.")
        self._build, self.workers, self.cpus = build, workers, frozenset(cpus)
        self._pool: ProcessPoolExecutor | None = None

    async def analyse(
        self, archive: bytes | Path, slot: UploadSlot, scanner: PackageFileScanner | None = None
    ) -> PackageAnalysis:
        pool = self._started()
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, _analyse, archive, slot, scanner)
        except BrokenProcessPool as error:
            self._drop(pool)
            raise AnalysisCrashed(f"a review process ended abruptly ({error})") from error

    async def close(self) -> None:
        """Waits for the reviews in progress (the ones waiting are cancelled), off the event loop."""
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=BackgroundSpawn(self.cpus),
                initializer=_start,
                initargs=(self._build, self.cpus),
            )
        return self._pool

    def _drop(self, pool: ProcessPoolExecutor) -> None:
        """The broken pool goes (its other children are ended); the next review starts a new one."""
        if self._pool is pool:
            self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)


class BackgroundSpawn(SpawnContext):
    """``spawn``, each child put in the background (``in_the_background``) by this process the
    moment it is started, before it runs a line of Python."""

    def __init__(self, cpus: Set[int] = frozenset()) -> None:
        super().__init__()
        self.cpus = frozenset(cpus)

    def Process(self, *args: Any, **kwargs: Any) -> SpawnProcess:  # type: ignore[override]
        """What ``ProcessPoolExecutor`` calls to make a child (a class on ``SpawnContext``)."""
        return _BackgroundProcess(self.cpus, *args, **kwargs)


class _BackgroundProcess(SpawnProcess):
    def __init__(self, cpus: frozenset[int], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cpus = cpus

    def start(self) -> None:
        super().start()
        if self.pid is not None:
            in_the_background(self.cpus, self.pid)


def _start(build: Callable[[], PackageChecks], cpus: frozenset[int]) -> None:
    """In a child: Ctrl-C in a terminal is the parent's to handle (it shuts the pool down), and the
    kernel gives a core to the requests first when both want one (a review is background work)."""
    global _checks
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    in_the_background(cpus)
    _checks = build()


def in_the_background(cpus: frozenset[int], pid: int = 0) -> None:
    """The process ``pid`` (0: this one) yields every core to any other task that wants it, and
    keeps to ``cpus``. Done twice (by the parent, then by the child itself) it changes nothing more."""
    with contextlib.suppress(OSError):  # already nicer than NICENESS (lowering it needs a privilege)
        os.setpriority(os.PRIO_PROCESS, pid, max(NICENESS, os.getpriority(os.PRIO_PROCESS, pid)))
    with contextlib.suppress(AttributeError, OSError):  # not Linux: nice 10 is what there is
        os.sched_setscheduler(pid, os.SCHED_IDLE, os.sched_param(0))
    if cpus:
        with contextlib.suppress(OSError):  # a CPU taken away meanwhile: wherever it may run
            os.sched_setaffinity(pid, cpus)


def _analyse(archive: bytes | Path, slot: UploadSlot, scanner: PackageFileScanner | None) -> PackageAnalysis:
    if _checks is None:  # pragma: no cover - the initializer always runs first
        raise RuntimeError("The review process was not started with its checks.")
    return _checks.analyse(archive, slot, scanner)
