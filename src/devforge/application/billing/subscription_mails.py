"""A subscription's mails, in the house style (``application/common/mail_template.py``): the
receipt of a paid renewal, and the dunning mails of a failed one (when it first fails: pay
before the grace period ends; after the grace: access is suspended until it is paid)."""

from __future__ import annotations

from datetime import datetime

from devforge.application.common.mail_template import MailTemplate
from devforge.application.common.mailer import MailMessage
from devforge.domain.billing.money import Money
from devforge.domain.billing.order import Order

RENEWED = MailTemplate(
    subject="Your Dev Forge subscription is renewed",
    text=(
        "Thank you: your subscription to {products} is renewed. Order {order}.\n"
        "Paid: {paid}, for the period until {until}.\n"
        "Your invoice for it is in your account.\n"
    ),
    html=(
        "<p>Thank you: your subscription to {products} is renewed. Order <code>{order}</code>.</p>"
        "<p>Paid: <b>{paid}</b>, for the period until {until}.</p>"
        "<p>Your invoice for it is in your account.</p>"
    ),
)

PAYMENT_FAILED = MailTemplate(
    subject="Your Dev Forge payment did not go through",
    text=(
        "We could not charge the renewal of {products} (order {order}).\n"
        "Please update your payment method before {until}: until then everything keeps working.\n"
        "We will try the payment again in the meantime.\n"
    ),
    html=(
        "<p>We could not charge the renewal of {products} (order <code>{order}</code>).</p>"
        "<p>Please update your payment method before <b>{until}</b>: until then everything keeps working.</p>"
        "<p>We will try the payment again in the meantime.</p>"
    ),
)

SUSPENDED = MailTemplate(
    subject="Your Dev Forge subscription is suspended",
    text=(
        "We could not charge the renewal of {products} (order {order}), and the grace period is over.\n"
        "Your license is suspended until the renewal is paid; it comes back as soon as it is.\n"
        "Update your payment method with our payment provider, or write to us.\n"
    ),
    html=(
        "<p>We could not charge the renewal of {products} (order <code>{order}</code>), and the grace period "
        "is over.</p><p>Your license is suspended until the renewal is paid; it comes back as soon as it is.</p>"
        "<p>Update your payment method with our payment provider, or write to us.</p>"
    ),
)


def renewal_receipt(order: Order, *, paid: Money, paid_until: datetime, home: str) -> MailMessage:
    return RENEWED.render(
        order.email,
        products=_products(order),
        order=str(order.id),
        paid=paid.format(),
        until=_day(paid_until),
        home=home,
    )


def dunning(order: Order, *, grace_ends_at: datetime, over: bool, home: str) -> MailMessage:
    template = SUSPENDED if over else PAYMENT_FAILED
    return template.render(
        order.email, products=_products(order), order=str(order.id), until=_day(grace_ends_at), home=home
    )


def _products(order: Order) -> str:
    return ", ".join(line.product_name for line in order.lines)


def _day(moment: datetime) -> str:
    return moment.date().isoformat()
