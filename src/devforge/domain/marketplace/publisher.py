"""Publishers: the namespace extensions are published under.

A publisher has one owner and any number of members (every member may publish; only the owner
adds members). Its namespace follows the manifest's name rules (1-64 of a-z, 0-9 and '-') and
its display name is 1-100 characters. It is *verified* when a DNS TXT record
``devforge-verification=<token>`` is found at ``_devforge-challenge.<domain>``; choosing another
domain (or a new token) drops the verification until the new record is found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from devforge.domain.marketplace.errors import DomainVerificationFailed, MarketplaceActionRefused, PublisherInvalid
from devforge.domain.marketplace.manifest import NAME
from devforge.domain.shared.events import DomainEvent, EventRecorder

DOMAIN = re.compile(r"(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
CHALLENGE_PREFIX = "_devforge-challenge."
RECORD_PREFIX = "devforge-verification="


@dataclass(frozen=True, kw_only=True)
class PublisherVerified(DomainEvent):
    publisher_id: UUID
    domain: str


@dataclass(kw_only=True)
class Publisher(EventRecorder):
    id: UUID
    namespace: str
    display_name: str
    owner_id: UUID
    contact_email: str
    created_at: datetime
    members: set[UUID] = field(default_factory=set)
    domain: str | None = None
    verification_token: str | None = None
    verified_at: datetime | None = None

    def __post_init__(self) -> None:
        self.namespace = self.namespace.strip()
        self.display_name = " ".join(self.display_name.split())
        if not NAME.fullmatch(self.namespace):
            message = "Use 1-64 characters of a-z, 0-9 and '-', not starting or ending with '-'."
            raise PublisherInvalid(message, field="namespace")
        if not 1 <= len(self.display_name) <= 100:
            raise PublisherInvalid("Use 1 to 100 characters.", field="displayName")
        self.members.add(self.owner_id)

    @property
    def verified(self) -> bool:
        return self.verified_at is not None

    def is_member(self, user_id: UUID) -> bool:
        return user_id in self.members

    def add_member(self, actor_id: UUID, user_id: UUID) -> None:
        if actor_id != self.owner_id:
            raise MarketplaceActionRefused("Only the publisher's owner adds members.")
        self.members.add(user_id)

    def remove_member(self, actor_id: UUID, user_id: UUID) -> None:
        if actor_id != self.owner_id:
            raise MarketplaceActionRefused("Only the publisher's owner removes members.")
        if user_id == self.owner_id:
            raise MarketplaceActionRefused("The owner stays a member.")
        self.members.discard(user_id)

    def start_verification(self, domain: str, token: str) -> None:
        domain = domain.strip().lower().rstrip(".")
        if not DOMAIN.fullmatch(domain):
            raise PublisherInvalid(f"'{domain}' is not a domain name like example.com.", field="domain")
        self.domain, self.verification_token, self.verified_at = domain, token, None

    @property
    def challenge_name(self) -> str | None:
        return CHALLENGE_PREFIX + self.domain if self.domain else None

    @property
    def expected_record(self) -> str | None:
        return RECORD_PREFIX + self.verification_token if self.verification_token else None

    def verify(self, records: Iterable[str], now: datetime) -> None:
        """Verified when one TXT record is exactly the expected one (surrounding blanks ignored)."""
        if self.domain is None or self.expected_record is None:
            raise DomainVerificationFailed("Start the verification first: choose your domain.", field="domain")
        if self.expected_record not in {record.strip() for record in records}:
            message = f"No TXT record '{self.expected_record}' at {self.challenge_name} yet."
            raise DomainVerificationFailed(message, field="domain")
        if self.verified_at is None:
            self.verified_at = now
            self.record(PublisherVerified(occurred_at=now, publisher_id=self.id, domain=self.domain))
