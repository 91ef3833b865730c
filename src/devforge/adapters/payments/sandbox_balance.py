"""The sandbox's balance transactions: what Stripe would record for a paid session and a refund.

The fee is computed, not configured, so the embedded profile estimates with the settings and then
trues up to a different "real" fee, as production does: Stripe's standard card pricing, 2.9 % +
30 cents in USD, 1.5 % + 25 cents for European cards in EUR, 1.5 % + 20 pence in GBP, 3.6 % in
JPY, 2.9 % elsewhere. A refund's transaction takes no fee (Stripe keeps the charge's).
"""

from __future__ import annotations

from devforge.adapters.payments.sandbox_store import SandboxRefundRecord, SandboxSessionRecord
from devforge.application.billing.payment_gateway import ProviderBalanceTransaction
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.money import Money
from devforge.domain.billing.processor_fees import FeeRate

CARD_PRICING = {
    Currency("USD"): FeeRate(290, 30),
    Currency("EUR"): FeeRate(150, 25),
    Currency("GBP"): FeeRate(150, 20),
    Currency("JPY"): FeeRate(360, 0),
}
OTHER = FeeRate(290)


def sandbox_fee(charged: Money) -> Money:
    return CARD_PRICING.get(charged.currency, OTHER).of(charged)


def sandbox_charge_balance(session: SandboxSessionRecord) -> ProviderBalanceTransaction | None:
    if session.payment_id is None or session.paid_at is None:
        return None
    fee = sandbox_fee(Money.of(session.total, session.currency)).amount_minor
    suffix = session.payment_id.split("_", 1)[1]
    return ProviderBalanceTransaction(
        transaction_id=f"txn_{suffix}",
        type="charge",
        amount=session.total,
        fee=fee,
        net=session.total - fee,
        currency=session.currency,
        created=session.paid_at,
        payment_id=session.payment_id,
        source_id=f"ch_{suffix}",
        fee_details=(("stripe_fee", fee),),
    )


def sandbox_refund_balance(refund: SandboxRefundRecord) -> ProviderBalanceTransaction:
    return ProviderBalanceTransaction(
        transaction_id=f"txn_{refund.id}",
        type="refund",
        amount=-refund.amount,
        fee=0,
        net=-refund.amount,
        currency=refund.currency,
        created=refund.created_at,
        payment_id=refund.payment_id,
        source_id=refund.id,
    )
