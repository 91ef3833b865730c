"""A small thread pool of its own for password hashing, so hashing memory has a ceiling."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from devforge.application.common.unavailable import ServiceUnavailable

T = TypeVar("T")


def cores_available() -> int:
    """The cores this process may run on (its CPU affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class HashingPool:
    """At most ``workers`` hashes run at once, each on one of the pool's own threads; the others
    wait in the order they came (first in, first out), and one whose caller went away (a client
    that hung up) is dropped before it starts. Argon2id holds its whole memory cost (19 MiB) while
    it runs, so the pool bounds hashing memory at ``workers`` x that cost whatever the number of
    sign-ins at once, where the default executor (cores + 4 threads, shared with file reads) let
    each of its threads hold one and keep a glibc arena of its own. More workers than cores buys
    no throughput: a hash is CPU the whole time.

    With ``max_waiting``, admission is bounded: a hash asked for while ``max_waiting`` others
    already wait (beyond the ``workers`` running) is refused at once with ``ServiceUnavailable``
    (503 problem+json, ``Retry-After: 1``) instead of queued, so an accepted sign-in waits at
    most about ``max_waiting / workers`` hash times and none waits seconds behind a burst. The
    refusal depends on the queue only, never on the account, so it tells nothing about which
    accounts exist; nothing was done, and the client may simply send it again."""

    def __init__(self, workers: int, max_waiting: int | None = None) -> None:
        if workers < 1:
            raise ValueError("a hashing pool needs at least one worker")
        if max_waiting is not None and max_waiting < 0:
            raise ValueError("max_waiting cannot be negative")
        self.workers, self.max_waiting = workers, max_waiting
        self._threads = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="password-hashing")
        self._lock = threading.Lock()
        self._in_flight = 0  # queued or running; a job leaves when its future is done or cancelled

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def ensure_room(self) -> None:
        """Raises what ``run`` would raise now, without queueing anything."""
        if self.max_waiting is not None and self._in_flight >= self.workers + self.max_waiting:
            raise ServiceUnavailable("password hashing", retry_after_seconds=1)

    async def run(self, work: Callable[..., T], *args: object) -> T:
        with self._lock:
            self.ensure_room()
            self._in_flight += 1
        try:
            job: Future[T] = self._threads.submit(work, *args)
        except BaseException:
            self._left(None)
            raise
        job.add_done_callback(self._left)
        return await asyncio.wrap_future(job)

    def _left(self, _: object) -> None:
        with self._lock:
            self._in_flight -= 1

    def close(self) -> None:
        """Queued hashes are cancelled; those running finish on their threads."""
        self._threads.shutdown(wait=False, cancel_futures=True)
