"""The catalog: what is sold, at which price, in which currency, how often.

- a product has a unique code (lower-case letters, digits and dashes, 2 to 63 characters), a
  kind (an editor plan or an extension), the licensing policy its licenses are issued from (an
  id string: billing never looks inside licensing; ``None`` sells no license) and the number of
  days a customer may ask for a refund;
- an extension's product names its seller, the publisher that is paid its share of each sale
  (``seller_id``; the platform's own plans have none and keep the whole net);
- a product has at most one price per (currency, interval); setting it again replaces it;
- a price is a positive whole number of the currency's minor unit, and says whether it
  includes tax (the amount a buyer pays whatever the rate) or not (tax is added on top).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import CartInvalid, PriceInvalid, PriceNotFound, ProductCodeInvalid
from devforge.domain.billing.money import Money

_CODE = re.compile(r"[a-z0-9][a-z0-9-]{1,62}")


class ProductKind(StrEnum):
    EDITOR_PLAN = "editor_plan"
    EXTENSION = "extension"


class BillingInterval(StrEnum):
    ONE_TIME = "one_time"
    MONTH = "month"
    YEAR = "year"

    @property
    def recurring(self) -> str | None:
        """What the payment provider calls it: ``None`` for a one-time price."""
        return None if self is BillingInterval.ONE_TIME else self.value


@dataclass(frozen=True, slots=True)
class Price:
    amount: Money
    interval: BillingInterval
    tax_inclusive: bool = False

    def __post_init__(self) -> None:
        if self.amount.amount_minor <= 0:
            raise PriceInvalid("A price is a positive amount.", field="amount")

    @property
    def currency(self) -> Currency:
        return self.amount.currency


@dataclass(eq=False)
class CatalogProduct:
    id: UUID
    code: str
    name: str
    kind: ProductKind
    policy_id: str | None
    refund_window_days: int
    created_at: datetime
    prices: list[Price] = field(default_factory=list)
    active: bool = True
    seller_id: UUID | None = None  # the publisher paid a share of each sale (extensions only)

    def __post_init__(self) -> None:
        if not _CODE.fullmatch(self.code):
            raise ProductCodeInvalid("Codes are 2-63 lower-case letters, digits and dashes.", field="code")
        if not self.name.strip() or len(self.name) > 100:
            raise ProductCodeInvalid("A product name is 1 to 100 characters.", field="name")
        if not 0 <= self.refund_window_days <= 365:
            raise PriceInvalid("The refund window is 0 to 365 days.", field="refund_window_days")
        if self.seller_id is not None and self.kind is not ProductKind.EXTENSION:
            raise ProductCodeInvalid("Only an extension is sold for a seller.", field="seller_id")

    @property
    def licensed(self) -> bool:
        return self.policy_id is not None

    def set_price(self, price: Price) -> None:
        """One price per (currency, interval): a new one replaces the old."""
        self.prices = [p for p in self.prices if (p.currency, p.interval) != (price.currency, price.interval)]
        self.prices.append(price)

    def prices_in(self, currency: Currency) -> list[Price]:
        order = list(BillingInterval)
        return sorted((p for p in self.prices if p.currency == currency), key=lambda p: order.index(p.interval))

    def price_for(self, currency: Currency, interval: BillingInterval) -> Price:
        for price in self.prices:
            if price.currency == currency and price.interval is interval:
                return price
        raise PriceNotFound(f"{self.code} is not sold {interval.value} in {currency}.", field="interval")


def check_cart(chosen: Sequence[tuple[CatalogProduct, Price]]) -> None:
    """What one checkout may hold: each product once (its quantity says how many), one tax
    treatment for every price, and when any line renews, one interval for every line (a renewal
    charges the whole order again, so a one-off line cannot ride along in a subscription)."""
    codes = [product.code for product, _ in chosen]
    if len(set(codes)) != len(codes):
        raise CartInvalid("A product appears once in a cart; set its quantity instead.", field="items")
    if len({price.tax_inclusive for _, price in chosen}) > 1:
        raise CartInvalid("A cart's prices all include tax or all exclude it; buy them separately.", field="items")
    intervals = {price.interval for _, price in chosen}
    if len(intervals) > 1 and any(interval.recurring for interval in intervals):
        raise CartInvalid("A subscription's lines all renew at one interval; buy the others separately.", field="items")
