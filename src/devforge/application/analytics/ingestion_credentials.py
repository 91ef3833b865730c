"""Who may send events: an editor with a publishable ingestion key, or with its license key.

A batch names one credential; the answer is remembered by the process for ``MEMO_SECONDS``
(a minute), so a stream of batches costs one lookup a minute, not one per batch: a revoked key
or license still sends for at most that long."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from devforge.application.analytics.ingestion_key_secrets import IngestionKeySecrets
from devforge.application.analytics.ports import IngestionKeyRepository, LicenseKeyHolders
from devforge.domain.analytics.errors import IngestionCredentialRefused
from devforge.domain.analytics.ingestion_key import INGESTION_KEY_PREFIX

MEMO_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Credential:
    """What the client presented: ``secret`` is an ingestion key (``dfi_pub_...``) or a license key."""

    secret: str


@dataclass(frozen=True, slots=True)
class Sender:
    """Who sends: through a license, its holder is known (events are stitched to them)."""

    user_id: UUID | None = None


class CredentialMemo:
    """One per process: credential digest -> (sender or None for refused, until)."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.entries: dict[str, tuple[Sender | None, float]] = {}
        self.now = monotonic


class IngestionCredentials:
    def __init__(
        self,
        keys: IngestionKeyRepository,
        secrets: IngestionKeySecrets,
        licenses: LicenseKeyHolders,
        memo: CredentialMemo,
    ) -> None:
        self._keys, self._secrets, self._licenses, self._memo = keys, secrets, licenses, memo

    async def sender(self, credential: Credential | None) -> Sender:
        if credential is None or not credential.secret:
            raise IngestionCredentialRefused("Send an ingestion key or a license key.", field="authorization")
        digest = self._secrets.digest(credential.secret)
        now = self._memo.now()
        remembered = self._memo.entries.get(digest)
        if remembered is None or remembered[1] <= now:
            if len(self._memo.entries) > 10_000:
                self._memo.entries.clear()
            remembered = (await self._look_up(credential.secret, digest), now + MEMO_SECONDS)
            self._memo.entries[digest] = remembered
        if remembered[0] is None:
            raise IngestionCredentialRefused("The key is unknown or revoked.", field="authorization")
        return remembered[0]

    async def _look_up(self, secret: str, digest: str) -> Sender | None:
        if secret.startswith(INGESTION_KEY_PREFIX):
            key = await self._keys.get_by_digest(digest)
            return Sender() if key is not None and key.active else None
        try:
            holder = await self._licenses.holder_of(secret)
        except ValueError:  # not a license key's shape
            return None
        return Sender(holder) if holder is not None else None
