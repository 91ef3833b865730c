"""A subscription's mails, as plain text and HTML: the receipt of a paid renewal, and the dunning
mails of a failed one (when it first fails: pay before the grace period ends; after the grace:
access is suspended until it is paid). Values are HTML-escaped in the HTML part; subjects hold
no values."""

from __future__ import annotations

from datetime import datetime
from html import escape

from devforge.application.common.mailer import MailMessage
from devforge.domain.billing.money import Money
from devforge.domain.billing.order import Order

RENEWED = "Your Dev Forge subscription is renewed"
PAYMENT_FAILED = "Your Dev Forge payment did not go through"
SUSPENDED = "Your Dev Forge subscription is suspended"


def renewal_receipt(order: Order, *, paid: Money, paid_until: datetime, home: str) -> MailMessage:
    products = ", ".join(line.product_name for line in order.lines)
    lines = [
        f"Thank you: your subscription to {products} is renewed. Order {order.id}.",
        f"Paid: {paid.format()}, for the period until {_day(paid_until)}.",
        "Your invoice for it is in your account.",
    ]
    return _message(order, RENEWED, lines, home)


def dunning(order: Order, *, grace_ends_at: datetime, over: bool, home: str) -> MailMessage:
    products = ", ".join(line.product_name for line in order.lines)
    if over:
        subject, lines = (
            SUSPENDED,
            [
                f"We could not charge the renewal of {products} (order {order.id}), and the grace period is over.",
                "Your license is suspended until the renewal is paid; it comes back as soon as it is.",
                "Update your payment method with our payment provider, or write to us.",
            ],
        )
    else:
        subject, lines = (
            PAYMENT_FAILED,
            [
                f"We could not charge the renewal of {products} (order {order.id}).",
                f"Please update your payment method before {_day(grace_ends_at)}: until then everything keeps working.",
                "We will try the payment again in the meantime.",
            ],
        )
    return _message(order, subject, lines, home)


def _message(order: Order, subject: str, lines: list[str], home: str) -> MailMessage:
    text = "\n".join([*lines, "", "-- ", f"Dev Forge · {home}"]) + "\n"
    html = "".join(f"<p>{escape(line)}</p>" for line in lines)
    html += f'<hr><p style="color:#666">Dev Forge · <a href="{escape(home)}">{escape(home)}</a></p>'
    return MailMessage(to=order.email, subject=subject, text=text, html=html)


def _day(moment: datetime) -> str:
    return moment.date().isoformat()
