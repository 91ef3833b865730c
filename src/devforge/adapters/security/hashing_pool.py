"""A small thread pool of its own for password hashing, so hashing memory has a ceiling."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

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
    no throughput: a hash is CPU the whole time."""

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise ValueError("a hashing pool needs at least one worker")
        self.workers = workers
        self._threads = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="password-hashing")

    async def run(self, work: Callable[..., T], *args: object) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._threads, work, *args)

    def close(self) -> None:
        """Queued hashes are cancelled; those running finish on their threads."""
        self._threads.shutdown(wait=False, cancel_futures=True)
