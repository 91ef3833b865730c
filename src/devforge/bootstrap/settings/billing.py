"""Billing's settings: the payment provider, tax, VAT ids, checkout return URLs, the seller
named on invoices and the marketplace's commission on extension sales."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, Self
from urllib.parse import urlsplit
from uuid import UUID

import msgspec

from devforge.application.billing.return_urls import origin_of
from devforge.bootstrap.settings.section import Profile, Section, SettingsError
from devforge.domain.billing.countries import EU_MEMBER_STATES, iso_country_codes
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import RevenueShareInvalid, UnknownCurrency
from devforge.domain.billing.money import Money
from devforge.domain.billing.processor_fees import FeeRate, FeeSchedule
from devforge.domain.billing.revenue_share import DEFAULT_COMMISSION_BP, CommissionRule, CommissionSchedule
from devforge.domain.billing.vat_id import is_well_formed_vat_id


class BillingSettings(Section, frozen=True, kw_only=True):
    SECRETS = frozenset({"stripe_api_key", "webhook_secrets", "taxjar_api_token"})

    payment_provider: Literal["auto", "sandbox", "stripe"] = "auto"
    """``auto``: the sandbox in embedded, Stripe in production."""
    stripe_api_key: str = ""
    stripe_api_base: str = ""
    webhook_secrets: list[str] = msgspec.field(default_factory=list)
    checkout_return_origins: list[str] = msgspec.field(default_factory=list)
    """Origins (``https://shop.example``) a checkout's success and cancel URLs may point to,
    besides the public base URL's own."""
    tax_backend: Literal["auto", "table", "taxjar"] = "auto"
    """``auto``: TaxJar when its token is set, else the built-in rates table."""
    taxjar_api_token: str = ""
    taxjar_api_base: str = "https://api.taxjar.com"
    vies: Literal["auto", "offline", "rest"] = "auto"
    """Where VAT ids are verified: VIES's REST API, or the offline stand-in (every id unverified,
    VAT charged); ``auto`` is the REST API in production and offline in embedded."""
    vies_api_base: str = "https://ec.europa.eu/taxation_customs/vies/rest-api"
    vies_timeout_seconds: int = 5
    vies_cache_hours: int = 24
    """How long a VAT id VIES confirmed stays confirmed without asking again."""
    invoice_seller_name: str = "Dev Forge Services"
    invoice_seller_address: str = ""
    invoice_seller_country: str = ""
    invoice_seller_vat_id: str = ""
    invoice_seller_email: str = ""
    pdf_process: bool = True
    """Typeset PDFs (invoices, credit notes, statements, year-end forms) in a child process started
    at the first one (fpdf2 and its imports stay out of the serving process); ``false``: on a
    thread of the process itself."""
    commission_default_bp: int = DEFAULT_COMMISSION_BP
    """The platform's commission on an extension sale, in basis points of the net (3000: 30 %)."""
    commission_publisher_bp: list[str] = msgspec.field(default_factory=list)
    """Per-publisher rates, ``<publisher id>=<basis points>`` (comma-separated)."""
    commission_first_days: int = 0
    """A publisher's first days on the marketplace at ``commission_first_days_bp`` (0: none)."""
    commission_first_days_bp: int = DEFAULT_COMMISSION_BP
    processor_fees: list[str] = msgspec.field(
        default_factory=lambda: ["USD=290+30", "EUR=290+25", "GBP=290+20", "JPY=360+0"]
    )
    """The processor's fee estimated at a sale, per currency: ``<ISO 4217 code>=<basis points>+<fixed
    minor units>`` (comma-separated; Stripe's US card rate is ``USD=290+30``); trued up when the
    provider reports the real fee."""
    processor_fee_default_bp: int = 290
    """The estimate for a currency not listed: basis points only."""
    payout_hold_days: int = 30
    """Days a sale's share stays pending before a payout may take it (at least the refund window:
    a product whose refund window is longer holds its sales that long)."""
    payout_day_of_month: int = 1
    """Payout runs are monthly, on this day of the month (UTC), for the balances available then."""
    payout_minimums: list[str] = msgspec.field(default_factory=lambda: ["USD=10000", "EUR=10000", "GBP=10000"])
    """The least a payout may be, per currency, ``<ISO 4217 code>=<minor units>`` (comma-separated);
    ``payout_minimum_default`` for a currency not listed."""
    payout_minimum_default: int = 10000

    def payout_minimum(self, currency: Currency) -> Money:
        for entry in self.payout_minimums:
            code, _, amount = entry.partition("=")
            if Currency.of(code) == currency:
                return Money(int(amount), currency)
        return Money(self.payout_minimum_default, currency)

    def fee_schedule(self) -> FeeSchedule:
        rates = {Currency.of(code): rate for code, rate in map(_fee_rate, self.processor_fees)}
        return FeeSchedule(rates, FeeRate(self.processor_fee_default_bp))

    def commission_schedule(self) -> CommissionSchedule:
        """The rate in force at a sale: a publisher's own rate, else its first days', else the default."""
        rules = [
            CommissionRule(commission_bp=int(bp), publisher=UUID(publisher.strip()))
            for publisher, bp in (entry.split("=", 1) for entry in self.commission_publisher_bp)
        ]
        if self.commission_first_days:
            rules.append(CommissionRule(self.commission_first_days_bp, first_days=self.commission_first_days))
        return CommissionSchedule(default_bp=self.commission_default_bp, rules=tuple(rules))

    def resolved(self, profile: Profile, data_path: Path) -> Self:
        embedded = profile == "embedded"
        return msgspec.structs.replace(
            self,
            payment_provider=_auto(self.payment_provider, "sandbox" if embedded else "stripe"),
            tax_backend=_auto(self.tax_backend, "taxjar" if self.taxjar_api_token else "table"),
            vies=_auto(self.vies, "offline" if embedded else "rest"),
        )

    def check(self, profile: Profile) -> None:
        self.require_positive("vies_timeout_seconds", "vies_cache_hours")
        for origin in self.checkout_return_origins:
            if origin_of(origin) is None or urlsplit(origin).path not in ("", "/"):
                raise SettingsError(f"DEVFORGE_CHECKOUT_RETURN_ORIGINS: {origin!r} is not an http(s) origin")
        self._check_seller()
        self._check_commission()
        self._check_payouts()
        self._check_fees()

    def _check_fees(self) -> None:
        if not 0 <= self.processor_fee_default_bp <= 10_000:
            raise SettingsError("DEVFORGE_PROCESSOR_FEE_DEFAULT_BP is 0 to 10000 basis points")
        for entry in self.processor_fees:
            try:
                _fee_rate(entry)
            except (ValueError, UnknownCurrency):
                raise SettingsError(
                    f"DEVFORGE_PROCESSOR_FEES: {entry!r} is not <ISO 4217 code>=<basis points>+<fixed minor units>"
                ) from None

    def _check_payouts(self) -> None:
        if self.payout_hold_days < 0:
            raise SettingsError("DEVFORGE_PAYOUT_HOLD_DAYS is a number of days, 0 or more")
        if not 1 <= self.payout_day_of_month <= 28:
            raise SettingsError("DEVFORGE_PAYOUT_DAY_OF_MONTH is 1 to 28 (a day every month has)")
        if self.payout_minimum_default < 0:
            raise SettingsError("DEVFORGE_PAYOUT_MINIMUM_DEFAULT is in minor units, 0 or more")
        for entry in self.payout_minimums:
            code, _, amount = entry.partition("=")
            try:
                Currency.of(code)
                if int(amount) < 0:
                    raise ValueError
            except (ValueError, UnknownCurrency):
                raise SettingsError(
                    f"DEVFORGE_PAYOUT_MINIMUMS: {entry!r} is not <ISO 4217 code>=<minor units, 0 or more>"
                ) from None

    def _check_commission(self) -> None:
        for entry in self.commission_publisher_bp:
            publisher, _, bp = entry.partition("=")
            try:
                UUID(publisher.strip())
                int(bp)
            except ValueError:
                raise SettingsError(
                    f"DEVFORGE_COMMISSION_PUBLISHER_BP: {entry!r} is not <publisher id>=<basis points>"
                ) from None
        if self.commission_first_days < 0:
            raise SettingsError("DEVFORGE_COMMISSION_FIRST_DAYS is 0 (none) or a number of days")
        try:
            self.commission_schedule()
        except RevenueShareInvalid as error:
            raise SettingsError(f"DEVFORGE_COMMISSION_*: {error}") from None

    def _check_seller(self) -> None:
        """The seller's country decides which sales are cross-border (the reverse charge), and its
        VAT id is sent to VIES as the requester: both must be what they claim."""
        country, vat_id = self.invoice_seller_country, self.invoice_seller_vat_id
        if country and country not in iso_country_codes():
            raise SettingsError(f"DEVFORGE_INVOICE_SELLER_COUNTRY={country!r} is not an ISO 3166-1 alpha-2 code")
        if vat_id and country in EU_MEMBER_STATES and not is_well_formed_vat_id(country, vat_id):
            raise SettingsError(f"DEVFORGE_INVOICE_SELLER_VAT_ID={vat_id!r} is not a VAT id of {country}")


def _auto(value: Any, chosen: str) -> Any:
    return chosen if value == "auto" else value


def _fee_rate(entry: str) -> tuple[str, FeeRate]:
    """``USD=290+30``: the currency and its rate; raises ``ValueError`` or ``UnknownCurrency``."""
    code, _, rate = entry.partition("=")
    basis_points, _, fixed = rate.partition("+")
    return Currency.of(code.strip()).code, FeeRate(int(basis_points), int(fixed or 0))
