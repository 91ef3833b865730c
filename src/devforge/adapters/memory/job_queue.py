from __future__ import annotations

from typing import Any


class InMemoryJobQueue:
    """Records enqueued jobs in ``jobs`` without running them; tests drain them by hand to
    exercise redelivery. (The embedded profile runs jobs with taskiq's in-memory broker.)"""

    def __init__(self) -> None:
        self.jobs: list[tuple[str, dict[str, Any]]] = []

    async def enqueue(self, job: str, payload: dict[str, Any]) -> None:
        self.jobs.append((job, dict(payload)))
