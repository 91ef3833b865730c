from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Protocol


class JobQueue(Protocol):
    """Hands a named job to the workers. Delivery is at least once: a job may run twice, so
    every job is written to be idempotent. Not transactional: enqueue only what is committed."""

    async def enqueue(self, job: str, payload: dict[str, Any]) -> None: ...


JobHandler = Callable[[dict[str, Any]], Awaitable[None]]


class JobWorker(Protocol):
    """The consuming side of the queue, driven by the worker shell."""

    def register(self, job: str, handler: JobHandler) -> None: ...

    async def run_until(self, stop: asyncio.Event) -> None:
        """Consume jobs until ``stop`` is set, then let jobs already started finish."""
        ...
