"""The share of a payout withheld for US tax, from a payee's tax profile.

- a W-9 with a TIN: nothing withheld;
- a W-9 without a TIN (applied for, or not given): **24 %** backup withholding (IRC §3406(a)(1),
  the rate since 2018);
- a W-8BEN or W-8BEN-E: the payee's country's rate in ``NON_US_RATES`` (the default, **30 %**,
  the statutory rate on US-source income of a foreign person, IRC §§1441/1442, for a country not
  listed); a treaty claim on the form lowers it to the claimed rate, never raises it.

The per-country figures are the rates of the US income-tax treaties for copyright and software
royalties (IRS "Tax Treaty Tables", Table 1, income code 12, as published for 2025). They are the
platform's data, not advice: finance checks them before each tax year, and a payee's own treaty
claim (article and rate, certified on the form) takes precedence when lower.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

from devforge.domain.billing.tax_profile import TaxForm, TaxProfile

BACKUP_WITHHOLDING_BP: Final = 2400
STATUTORY_NON_US_BP: Final = 3000

NON_US_RATES: Final[Mapping[str, int]] = MappingProxyType(
    {
        "AT": 0, "AU": 500, "BE": 0, "CA": 0, "CH": 0, "CN": 1000, "CZ": 1000, "DE": 0, "DK": 0,
        "ES": 0, "FI": 0, "FR": 0, "GB": 0, "HU": 0, "IE": 0, "IL": 1000, "IN": 1500, "IT": 0,
        "JP": 0, "KR": 1000, "LU": 0, "MX": 1000, "NL": 0, "NO": 0, "PL": 1000, "SE": 0,
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class WithholdingRates:
    by_country: Mapping[str, int] = field(default_factory=lambda: NON_US_RATES)
    default_bp: int = STATUTORY_NON_US_BP
    backup_bp: int = BACKUP_WITHHOLDING_BP

    def for_profile(self, profile: TaxProfile) -> int:
        """Basis points of each payout withheld, 0..10 000."""
        if profile.form is TaxForm.W9:
            return 0 if profile.tin is not None else self.backup_bp
        rate = self.by_country.get(profile.country, self.default_bp)
        if profile.treaty is not None:
            rate = min(rate, profile.treaty.rate_bp)
        return rate
