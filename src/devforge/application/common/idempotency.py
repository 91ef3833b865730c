"""Idempotent retries: the same key answers the same response, and the work is done at most once.

A key is claimed atomically before the work runs (``begin`` answers NEW to exactly one caller),
its finished response is kept for the key's lifetime, and a key reused with another request
(another fingerprint) is refused. A failed attempt is abandoned, so it can be retried.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

from devforge.application.common.cache import Cache


class BeginOutcome(Enum):
    NEW = "new"  # this call claimed the key: do the work, then finish or abandon
    IN_PROGRESS = "in_progress"  # another request holds the key right now
    DONE = "done"  # the work is done: answer the stored response
    MISMATCH = "mismatch"  # the key was used with another request


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


@dataclass(frozen=True, slots=True)
class Begin:
    outcome: BeginOutcome
    response: StoredResponse | None = None  # set when DONE


class IdempotencyStore(Protocol):
    """Not transactional: a claim and a stored response live beside the database, with expiry."""

    async def begin(self, scope_key: str, fingerprint: str, ttl_seconds: int) -> Begin: ...

    async def finish(self, scope_key: str, response: StoredResponse) -> None: ...

    async def abandon(self, scope_key: str) -> None: ...


class CacheIdempotencyStore:
    """Over the ``Cache`` port: ``add`` claims a key (one winner, even across processes), ``set``
    replaces the claim with the finished response. A claim lives at most ``claim_ttl_seconds``,
    so a process that dies mid-request does not lock the key for a whole day."""

    def __init__(self, cache: Cache, claim_ttl_seconds: int = 300, prefix: str = "idempotency:") -> None:
        self._cache, self._claim_ttl, self._prefix = cache, claim_ttl_seconds, prefix

    async def begin(self, scope_key: str, fingerprint: str, ttl_seconds: int) -> Begin:
        claim = _encode({"fingerprint": fingerprint, "ttl": ttl_seconds})
        if await self._cache.add(self._prefix + scope_key, claim, min(ttl_seconds, self._claim_ttl)):
            return Begin(BeginOutcome.NEW)
        record = await self._read(scope_key)
        if record is None:  # expired or abandoned between the two calls: the caller may retry
            return Begin(BeginOutcome.IN_PROGRESS)
        if record["fingerprint"] != fingerprint:
            return Begin(BeginOutcome.MISMATCH)
        if "status" not in record:
            return Begin(BeginOutcome.IN_PROGRESS)
        headers = tuple((str(name), str(value)) for name, value in record["headers"])
        body = base64.b64decode(record["body"])
        return Begin(BeginOutcome.DONE, StoredResponse(int(record["status"]), headers, body))

    async def finish(self, scope_key: str, response: StoredResponse) -> None:
        record = await self._read(scope_key)
        if record is None or "status" in record:  # the claim expired meanwhile: nothing to keep
            return
        record |= {
            "status": response.status,
            "headers": [list(pair) for pair in response.headers],
            "body": base64.b64encode(response.body).decode("ascii"),
        }
        await self._cache.set(self._prefix + scope_key, _encode(record), int(record["ttl"]))

    async def abandon(self, scope_key: str) -> None:
        await self._cache.delete(self._prefix + scope_key)

    async def _read(self, scope_key: str) -> dict[str, Any] | None:
        raw = await self._cache.get(self._prefix + scope_key)
        if raw is None:
            return None
        record: dict[str, Any] = json.loads(raw)
        return record


def _encode(record: dict[str, Any]) -> bytes:
    return json.dumps(record, separators=(",", ":")).encode()
