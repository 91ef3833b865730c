"""Start a purchase: the provider's hosted checkout first, then the order, written once.

The provider is asked before anything is written, with the new order's id as the idempotency
key, and no transaction is open while it answers (the products are committed reads on the
common read path, the buyer's address comes from identity's signed-in state). The order is then
written in one transaction, with the provider's session in it: one unit of work a checkout, not
an order committed as pending and updated after the call. A crash between the two leaves no
order and, at the provider, an open session nobody was sent to (it expires there); nothing of
ours is half-written, and the buyer's retry is a new order. When the provider's answer is lost
(timeout), the order is written as ``checkout_unknown``: ``ReconcileUnknownCheckouts`` asks the
provider later, nothing retries blindly. Buying needs a verified email: the receipt and the
license key go there. The success and cancel URLs must be on the service's own origin or an
allowed one (``return_urls``), checked before anything is written or asked. The order copies
the products' prices.

A cart may hold several lines, one charge for all: the editor's plans and extensions of several
sellers. Its lines share one currency, one tax treatment (all prices tax-inclusive or none) and
one billing interval when any line recurs (a subscription renews all of its lines together, so a
one-off line cannot ride along); a product appears once (its quantity says how many). Each line
keeps its product's seller, whose share is fixed when the order is paid."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

from devforge.application.billing.errors import AccountNotFound
from devforge.application.billing.payment_gateway import (
    CheckoutLine,
    CheckoutRequest,
    PaymentGateway,
    PaymentProviderUnavailable,
)
from devforge.application.billing.ports import AccountDirectory, OrderRepository, ProductReader, TaxCalculator
from devforge.application.billing.return_urls import CheckoutReturnUrls
from devforge.application.billing.vat_treatments import VatTreatments
from devforge.application.billing.views import OrderView
from devforge.application.common.clock import Clock
from devforge.application.common.public_url import PublicUrl
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.billing.catalog import BillingInterval, CatalogProduct, Price, check_cart
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import (
    CatalogProductNotFound,
    EmailNotVerified,
    PriceNotFound,
    QuantityInvalid,
)
from devforge.domain.billing.order import Order, OrderLine
from devforge.domain.billing.tax_quote import TaxAddress, TaxQuoteRequest
from devforge.domain.billing.vat_id import normalized_vat_id


@dataclass(frozen=True, slots=True)
class CheckoutItem:
    product_code: str
    interval: BillingInterval = BillingInterval.ONE_TIME
    quantity: int = 1


@dataclass(frozen=True, slots=True)
class StartCheckout:
    """The first line is ``product_code``/``interval``/``quantity``; ``more`` adds the cart's others."""

    user_id: UUID
    product_code: str
    interval: BillingInterval
    currency: str
    country: str
    quantity: int = 1
    region: str | None = None
    vat_id: str | None = None
    success_url: str | None = None
    cancel_url: str | None = None
    more: tuple[CheckoutItem, ...] = ()

    @property
    def items(self) -> tuple[CheckoutItem, ...]:
        return (CheckoutItem(self.product_code, self.interval, self.quantity), *self.more)


class StartCheckoutHandler:
    def __init__(
        self,
        uow: UnitOfWork,
        accounts: AccountDirectory,
        products: ProductReader,
        orders: OrderRepository,
        tax: TaxCalculator,
        gateway: PaymentGateway,
        public_url: PublicUrl,
        clock: Clock,
        return_urls: CheckoutReturnUrls,
        treatments: VatTreatments,
    ) -> None:
        self._uow, self._accounts, self._products, self._orders = uow, accounts, products, orders
        self._tax, self._gateway, self._public_url, self._clock = tax, gateway, public_url, clock
        self._return_urls, self._treatments = return_urls, treatments

    async def __call__(self, command: StartCheckout) -> OrderView:
        if command.success_url is not None:
            self._return_urls.check(command.success_url, field="successUrl")
        if command.cancel_url is not None:
            self._return_urls.check(command.cancel_url, field="cancelUrl")
        # Read before the unit of work takes its connection: a request never waits for a second
        # pooled connection while holding one (32 requests on a pool of 30 would wait for good).
        products = [await self._products.product(item.product_code) for item in command.items]
        contact = await self._accounts.contact(command.user_id)
        if contact is None:
            raise AccountNotFound("No such account.")
        if not contact.email_verified:
            raise EmailNotVerified("Verify your email address before buying.")
        order = await self._place(command, contact.email, products)
        await self._open_checkout(order, command)  # nothing written, no transaction open yet
        await self._orders.add(order)
        await self._uow.commit()
        return OrderView.of(order)

    async def _place(self, command: StartCheckout, email: str, products: list[CatalogProduct | None]) -> Order:
        currency = Currency.of(command.currency)
        items = zip(command.items, products, strict=True)
        chosen = [self._chosen(command, index, item, product, currency) for index, (item, product) in enumerate(items)]
        check_cart([(product, price) for product, price, _ in chosen])
        prices_include_tax = chosen[0][1].tax_inclusive
        vat_id = normalized_vat_id(command.vat_id) if command.vat_id else None
        address = TaxAddress(command.country, command.region, vat_id)
        treatment = await self._treatments.assess(address)
        order_id, now = uuid4(), self._clock.now()
        quote = await self._tax.quote(
            TaxQuoteRequest(
                address=address,
                currency=currency,
                amounts=tuple(price.amount * quantity for _, price, quantity in chosen),
                prices_include_tax=prices_include_tax,
                reference=str(order_id),
                reverse_charge=treatment.reverse_charge,
            )
        )
        lines = tuple(
            OrderLine(
                product_code=product.code,
                product_name=product.name,
                policy_id=product.policy_id,
                interval=price.interval,
                unit_amount=price.amount,
                quantity=quantity,
                amounts=amounts,
                seller_id=product.seller_id,
            )
            for (product, price, quantity), amounts in zip(chosen, quote.lines, strict=True)
        )
        return Order(
            id=order_id,
            user_id=command.user_id,
            email=email,
            currency=currency,
            lines=lines,
            total=quote.total,
            prices_include_tax=prices_include_tax,
            tax_country=address.country,
            tax_region=address.region,
            vat_id=vat_id,
            reverse_charge=quote.reverse_charge,
            tax_quote_id=quote.quote_id,
            created_at=now,
            updated_at=now,
            vat_id_check=treatment.check,
            tax_note=treatment.note,
        )

    @staticmethod
    def _chosen(
        command: StartCheckout, index: int, item: CheckoutItem, product: CatalogProduct | None, currency: Currency
    ) -> tuple[CatalogProduct, Price, int]:
        """One line's product and price; a fault is named by the line's place in a cart of several."""
        where = f"items[{index}]." if command.more else ""
        if product is None or not product.active:
            raise CatalogProductNotFound("No such product.", field=f"{where}productCode" if where else "product_code")
        if not 1 <= item.quantity <= 100:
            raise QuantityInvalid("A quantity is 1 to 100.", field=f"{where}quantity")
        try:
            return product, product.price_for(currency, item.interval), item.quantity
        except PriceNotFound as missing:
            missing.field = f"{where}interval"
            raise

    async def _open_checkout(self, order: Order, command: StartCheckout) -> None:
        request = checkout_request(
            order,
            success_url=command.success_url or self._public_url.to(f"/checkout/success?order={order.id}"),
            cancel_url=command.cancel_url or self._public_url.to(f"/checkout/cancelled?order={order.id}"),
        )
        try:
            session = await self._gateway.create_checkout(request)
        except PaymentProviderUnavailable:
            order.checkout_outcome_unknown(self._clock.now())
        else:
            order.checkout_started(session.provider, session.session_id, session.redirect_url, self._clock.now())


def checkout_request(order: Order, *, success_url: str, cancel_url: str) -> CheckoutRequest:
    """What the provider is asked for; the line's tax is what our quote computed, so the
    provider charges exactly the order's total."""
    lines = tuple(
        CheckoutLine(
            name=line.product_name,
            unit_amount=line.unit_amount.amount_minor,
            quantity=line.quantity,
            tax_amount=0 if order.prices_include_tax else line.amounts.tax.amount_minor,
            recurring=line.interval.recurring,
        )
        for line in order.lines
    )
    return CheckoutRequest(
        order_id=order.id,
        currency=order.currency.code,
        lines=lines,
        customer_email=order.email,
        customer_ref=str(order.user_id),
        success_url=success_url,
        cancel_url=cancel_url,
        idempotency_key=str(order.id),
    )
