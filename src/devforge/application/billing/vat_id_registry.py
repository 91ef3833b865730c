"""The port to the EU's register of VAT ids (VIES).

Not transactional: a remote service, asked outside any database write. ``check`` takes a
normalized, well-formed VAT id (country prefix first) and never raises for an outage: when no
definitive answer can be had (the service or the member state down, busy, too slow, an answer
that does not parse) it answers ``UNVERIFIED``, and billing charges VAT and says so.
"""

from __future__ import annotations

from typing import Protocol

from devforge.domain.billing.vat_id import VatIdCheck


class VatIdRegistry(Protocol):
    async def check(self, vat_id: str) -> VatIdCheck: ...
