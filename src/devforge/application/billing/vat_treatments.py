"""The buyer's VAT treatment for a quote or a checkout: the VAT id's form, VIES's word on it
when the reverse charge is in question, and the rule (``domain/billing/reverse_charge.py``).

- A VAT id of an EU buyer must be of the buyer's country and well formed (422 ``vat_id_malformed``);
  outside the EU it is kept for the invoice and changes nothing.
- VIES is asked only for a cross-border EU B2B sale (the seller's country is the invoice seller's,
  ``DEVFORGE_INVOICE_SELLER_COUNTRY``; without one no sale is cross-border, so VAT is charged).
- A positive answer is kept in the cache for ``cache_seconds`` (with its consultation number and
  date), so a buyer who checks the price and then buys asks VIES once; a negative or missing
  answer is never kept, so a fixed registration or a recovered VIES counts at once.
"""

from __future__ import annotations

import json
from datetime import datetime

from devforge.application.billing.vat_id_registry import VatIdRegistry
from devforge.application.common.cache import Cache
from devforge.domain.billing.countries import EU_MEMBER_STATES
from devforge.domain.billing.errors import VatIdMalformed
from devforge.domain.billing.reverse_charge import VatTreatment, is_cross_border_eu_b2b, vat_treatment
from devforge.domain.billing.tax_quote import TaxAddress
from devforge.domain.billing.vat_id import VatIdCheck, VatIdStatus, is_well_formed_vat_id


class VatTreatments:
    def __init__(self, registry: VatIdRegistry, cache: Cache, seller_country: str | None, cache_seconds: int) -> None:
        self._registry, self._cache = registry, cache
        self._seller_country, self._cache_seconds = seller_country, cache_seconds

    async def assess(self, address: TaxAddress) -> VatTreatment:
        vat_id = address.vat_id
        if vat_id and address.country in EU_MEMBER_STATES and not is_well_formed_vat_id(address.country, vat_id):
            raise VatIdMalformed(f"{vat_id!r} is not a VAT id of {address.country}.", field="vat_id")
        if vat_id is None or not is_cross_border_eu_b2b(self._seller_country, address.country, vat_id):
            return VatTreatment()
        return vat_treatment(self._seller_country, address.country, vat_id, await self._checked(vat_id))

    async def _checked(self, vat_id: str) -> VatIdCheck:
        key = f"billing:vies:{vat_id}"
        kept = await self._cache.get(key)
        if kept is not None:
            cached = json.loads(kept)
            checked_at = datetime.fromisoformat(cached["checked_at"]) if cached["checked_at"] else None
            return VatIdCheck(vat_id, VatIdStatus.VALID, checked_at, cached["consultation_number"])
        check = await self._registry.check(vat_id)
        if check.valid:
            at = check.checked_at.isoformat() if check.checked_at else None
            value = json.dumps({"checked_at": at, "consultation_number": check.consultation_number})
            await self._cache.set(key, value.encode(), self._cache_seconds)
        return check
