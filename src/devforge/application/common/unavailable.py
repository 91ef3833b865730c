"""A backing service that cannot answer now: the request is refused for a while, not for good."""

from __future__ import annotations


class ServiceUnavailable(Exception):
    """Raised by an adapter whose server (Redis, the database) is down, hung or refusing, once
    its short timeout has passed or while its circuit breaker is open. Nothing was done; the
    same request may be sent again after ``retry_after_seconds``. The HTTP shell answers 503
    problem+json with ``Retry-After``."""

    def __init__(self, dependency: str, retry_after_seconds: int = 1) -> None:
        super().__init__(f"{dependency} is unavailable; retry in {max(1, retry_after_seconds)} s.")
        self.dependency = dependency
        self.retry_after_seconds = max(1, retry_after_seconds)
