"""The signed revocation list: every revoked license id, for clients that run offline.

A license file outlives a revocation until its TTL runs out; a client that fetches this list
now and then (it is public and signed, so any mirror may serve it) closes that gap. Ids are
sorted and the list says when it was made, so a client can keep the newest one it has seen and
refuse an older list replayed to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.domain.licensing.signed_format import FORMAT_VERSION, canonical_json, utc_text

TITLE = "DEVFORGE REVOCATION LIST"
LABEL = "revocations"


@dataclass(frozen=True, kw_only=True)
class RevocationList:
    revoked: frozenset[UUID]
    issued_at: datetime
    key_id: str

    @classmethod
    def of(cls, license_ids: Iterable[UUID], *, issued_at: datetime, key_id: str) -> RevocationList:
        return cls(revoked=frozenset(license_ids), issued_at=issued_at.replace(microsecond=0), key_id=key_id)

    def to_json(self) -> bytes:
        return canonical_json(
            {
                "v": FORMAT_VERSION,
                "revoked": sorted(str(license_id) for license_id in self.revoked),
                "issued_at": utc_text(self.issued_at),
                "kid": self.key_id,
            }
        )
