"""VIES in memory, for unit and HTTP tests: the ids ``register``ed are valid (with a consultation
number), every other is invalid, and ``down`` makes every answer UNVERIFIED. ``asked`` records
each id asked, so a test sees what a cache saved."""

from __future__ import annotations

from datetime import UTC, datetime

from devforge.domain.billing.vat_id import VatIdCheck, VatIdStatus, normalized_vat_id


class InMemoryVatIdRegistry:
    def __init__(self) -> None:
        self.registered: dict[str, str] = {}
        self.down = False
        self.asked: list[str] = []

    def register(self, vat_id: str, consultation_number: str = "WAPIAAAAAMEMORY") -> None:
        self.registered[normalized_vat_id(vat_id)] = consultation_number

    async def check(self, vat_id: str) -> VatIdCheck:
        self.asked.append(vat_id)
        now = datetime.now(UTC)
        if self.down:
            return VatIdCheck(vat_id, VatIdStatus.UNVERIFIED)
        if vat_id in self.registered:
            return VatIdCheck(vat_id, VatIdStatus.VALID, now, self.registered[vat_id])
        return VatIdCheck(vat_id, VatIdStatus.INVALID, now)
