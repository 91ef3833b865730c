"""Bodies of the statement routes. Amounts are integer minor units of the statement's currency,
signed from the developer's side (positive: owed to the developer), with the currency's exponent
alongside; never floats."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from msgspec import Meta

from devforge.application.billing.list_statements import SellerPeriods
from devforge.application.billing.statements import SellerStatement
from devforge.domain.billing.money import Money
from devforge.domain.billing.statement import StatementLine
from devforge.entrypoints.http.schemas import CamelStruct

Minor = Annotated[int, Meta(description="Integer minor units; positive is owed to the developer", examples=[6930])]


def _minor(money: Money | None) -> int | None:
    return None if money is None else money.amount_minor


class StatementLink(CamelStruct):
    month: Annotated[str, Meta(examples=["2026-05"])]
    currency: Annotated[str, Meta(examples=["USD"])]
    url: str
    csv: str
    pdf: str


class PublisherStatements(CamelStruct):
    publisher_id: UUID
    name: str
    statements: list[StatementLink]

    @classmethod
    def of(cls, found: SellerPeriods) -> PublisherStatements:
        base = f"/api/payments/statements/{found.seller.publisher_id}"
        links = []
        for period in found.periods:
            url = f"{base}/{period.month}"
            query = f"?currency={period.currency.code}"
            csv, pdf = f"{url}/csv{query}", f"{url}/pdf{query}"
            links.append(StatementLink(str(period.month), period.currency.code, url + query, csv, pdf))
        return cls(found.seller.publisher_id, found.seller.name, links)


class StatementList(CamelStruct):
    publishers: list[PublisherStatements]


class StatementLineResponse(CamelStruct):
    date: datetime
    kind: Annotated[str, Meta(examples=["sale"])]
    reference: str
    order_id: UUID | None
    extensions: list[str]
    gross: Minor | None
    commission: Minor | None
    fees: Minor
    tax_withheld: Minor
    payout: Minor
    amount: Minor

    @classmethod
    def of(cls, line: StatementLine) -> StatementLineResponse:
        return cls(
            date=line.occurred_at,
            kind=line.kind.value,
            reference=line.reference,
            order_id=line.order_id,
            extensions=list(line.extensions),
            gross=_minor(line.gross),
            commission=_minor(line.commission),
            fees=line.fees.amount_minor,
            tax_withheld=line.tax_withheld.amount_minor,
            payout=line.payout.amount_minor,
            amount=line.amount.amount_minor,
        )


class StatementResponse(CamelStruct):
    publisher_id: UUID
    publisher_name: str
    month: str
    currency: str
    exponent: int
    opening_balance: Minor
    sales: Minor
    refunds: Minor
    chargebacks: Minor
    fees: Minor
    commission: Minor
    gross_sales: Minor
    tax_withheld: Minor
    adjustments: Minor
    payouts: Minor
    closing_balance: Minor
    notes: list[str]
    lines: list[StatementLineResponse]

    @classmethod
    def of(cls, found: SellerStatement) -> StatementResponse:
        statement = found.statement
        return cls(
            publisher_id=statement.publisher_id,
            publisher_name=found.seller.name,
            month=str(statement.month),
            currency=statement.currency.code,
            exponent=statement.currency.exponent,
            opening_balance=statement.opening.amount_minor,
            sales=statement.sales.amount_minor,
            refunds=statement.refunds.amount_minor,
            chargebacks=statement.chargebacks.amount_minor,
            fees=statement.fees.amount_minor,
            commission=statement.commission.amount_minor,
            gross_sales=statement.gross_sales.amount_minor,
            tax_withheld=statement.tax_withheld.amount_minor,
            adjustments=statement.adjustments.amount_minor,
            payouts=statement.payouts.amount_minor,
            closing_balance=statement.closing.amount_minor,
            notes=list(statement.notes),
            lines=[StatementLineResponse.of(line) for line in statement.lines],
        )
