"""Body of the developer's revenue route: integer minor units of each block's currency
(positive: owed to or paid to the developer), with the currency's exponent; never floats."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from msgspec import Meta

from devforge.application.billing.list_statements import SellerPeriods
from devforge.application.billing.show_revenue import PublisherRevenue
from devforge.domain.billing.revenue import ExtensionRevenue, MonthRevenue, PayoutRecord, Revenue
from devforge.entrypoints.http.billing.statements_schemas import PublisherStatements
from devforge.entrypoints.http.schemas import CamelStruct

Minor = Annotated[int, Meta(description="Integer minor units of the block's currency", examples=[6930])]


class ExtensionRevenueResponse(CamelStruct):
    product_code: Annotated[str, Meta(examples=["ext-6f1c1c3e8a7b4d559a530b9d7c2f1e10"])]
    name: str
    sales: int
    gross: Minor
    refunded: Minor
    commission: Minor
    net: Minor

    @classmethod
    def of(cls, row: ExtensionRevenue) -> ExtensionRevenueResponse:
        return cls(
            row.product_code,
            row.name,
            row.sales,
            row.gross.amount_minor,
            row.refunded.amount_minor,
            row.commission.amount_minor,
            row.net.amount_minor,
        )


class MonthRevenueResponse(CamelStruct):
    month: Annotated[str, Meta(examples=["2026-05"])]
    gross: Minor
    net: Minor

    @classmethod
    def of(cls, row: MonthRevenue) -> MonthRevenueResponse:
        return cls(str(row.month), row.gross.amount_minor, row.net.amount_minor)


class PayoutResponse(CamelStruct):
    reference: Annotated[str, Meta(description="The payout's id (its ledger fact)", examples=["2026-06:…:USD"])]
    paid_at: datetime
    transferred: Minor
    tax_withheld: Minor
    returned_at: datetime | None

    @classmethod
    def of(cls, row: PayoutRecord) -> PayoutResponse:
        return cls(row.reference, row.paid_at, row.transferred.amount_minor, row.withheld.amount_minor, row.returned_at)


class NextPayoutResponse(CamelStruct):
    estimated_date: datetime
    estimated_amount: Minor
    minimum: Minor
    will_pay: Annotated[bool, Meta(description="The estimate reaches the currency's minimum")]


class CurrencyRevenue(CamelStruct):
    currency: Annotated[str, Meta(examples=["USD"])]
    exponent: int
    gross: Minor
    sales: Minor
    refunds: Minor
    chargebacks: Minor
    net: Minor
    paid: Minor
    balance: Minor
    pending: Minor
    held: Minor
    available: Minor
    extensions: list[ExtensionRevenueResponse]
    months: list[MonthRevenueResponse]
    payouts: list[PayoutResponse]
    next_payout: NextPayoutResponse

    @classmethod
    def of(cls, revenue: Revenue) -> CurrencyRevenue:
        balance, upcoming = revenue.balance, revenue.next_payout
        return cls(
            currency=revenue.currency.code,
            exponent=revenue.currency.exponent,
            gross=revenue.gross.amount_minor,
            sales=revenue.sales.amount_minor,
            refunds=revenue.refunds.amount_minor,
            chargebacks=revenue.chargebacks.amount_minor,
            net=revenue.net.amount_minor,
            paid=revenue.paid.amount_minor,
            balance=balance.total.amount_minor,
            pending=balance.pending.amount_minor,
            held=balance.held.amount_minor,
            available=balance.available.amount_minor,
            extensions=[ExtensionRevenueResponse.of(row) for row in revenue.extensions],
            months=[MonthRevenueResponse.of(row) for row in revenue.months],
            payouts=[PayoutResponse.of(row) for row in revenue.payouts],
            next_payout=NextPayoutResponse(
                upcoming.on, upcoming.amount.amount_minor, upcoming.minimum.amount_minor, upcoming.will_pay
            ),
        )


class RevenueResponse(CamelStruct):
    publisher_id: UUID
    name: str
    start: Annotated[datetime, Meta(description="The period's start (included)")]
    end: Annotated[datetime, Meta(description="The period's end (excluded)")]
    currencies: list[CurrencyRevenue]
    statements: PublisherStatements

    @classmethod
    def of(cls, found: PublisherRevenue) -> RevenueResponse:
        return cls(
            found.seller.publisher_id,
            found.seller.name,
            found.start,
            found.end,
            [CurrencyRevenue.of(revenue) for revenue in found.revenues],
            PublisherStatements.of(SellerPeriods(found.seller, found.statements)),
        )
