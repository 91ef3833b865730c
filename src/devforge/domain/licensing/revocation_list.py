"""The signed revocation list: every revoked and every suspended license id, for offline clients.

A license file outlives a revocation or a suspension until its TTL runs out; a client that
fetches this list now and then (it is public and signed, so any mirror may serve it) closes that
gap: a file whose license the list names, under either heading, is refused. A suspended license
leaves the list when it is reinstated, so its files verify again with the next list. Ids are
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
    suspended: frozenset[UUID]
    issued_at: datetime
    key_id: str

    @classmethod
    def of(
        cls,
        license_ids: Iterable[UUID],
        *,
        issued_at: datetime,
        key_id: str,
        suspended: Iterable[UUID] = (),
    ) -> RevocationList:
        return cls(
            revoked=frozenset(license_ids),
            suspended=frozenset(suspended),
            issued_at=issued_at.replace(microsecond=0),
            key_id=key_id,
        )

    def to_json(self) -> bytes:
        return canonical_json(
            {
                "v": FORMAT_VERSION,
                "revoked": sorted(str(license_id) for license_id in self.revoked),
                "suspended": sorted(str(license_id) for license_id in self.suspended),
                "issued_at": utc_text(self.issued_at),
                "kid": self.key_id,
            }
        )
