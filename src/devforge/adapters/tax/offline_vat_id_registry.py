"""The embedded profile's stand-in for VIES, which it does not call: every VAT id is unverified,
so VAT is charged and the quote, the order and the invoice say the id could not be verified.
Point ``DEVFORGE_VIES=rest`` (and ``DEVFORGE_VIES_API_BASE``) at VIES or a fake to verify ids."""

from __future__ import annotations

from devforge.domain.billing.vat_id import VatIdCheck, VatIdStatus


class OfflineVatIdRegistry:
    async def check(self, vat_id: str) -> VatIdCheck:
        return VatIdCheck(vat_id, VatIdStatus.UNVERIFIED)
