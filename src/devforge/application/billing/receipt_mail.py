"""The receipt mail, in the house style (``application/common/mail_template.py``). License keys
appear only when the purchase issued some (a node-locked product bought in quantity issues one
per unit)."""

from __future__ import annotations

from devforge.application.common.mail_template import MailTemplate
from devforge.application.common.mailer import MailMessage
from devforge.domain.billing.order import Order

RECEIPT = MailTemplate(
    subject="Your Dev Forge receipt",
    text=(
        "Thank you for your purchase. Order {order}.\n\n{rows}\n\n"
        "Net: {net}\nTax: {tax}\nTotal paid: {total}\n{tax_note}{keys}"
    ),
    html=(
        "<p>Thank you for your purchase. Order <code>{order}</code>.</p><p>{rows}</p>"
        "<p>Net: {net}<br>Tax: {tax}<br><b>Total paid: {total}</b></p><p>{tax_note}</p><p>{keys}</p>"
    ),
)
REVERSE_CHARGE = "VAT reverse charge: the buyer accounts for the VAT."


def receipt(order: Order, *, home: str, license_keys: tuple[str, ...] = ()) -> MailMessage:
    rows = tuple(
        f"{line.quantity} x {line.product_name} ({line.interval.value}): {line.amounts.gross.format()}"
        for line in order.lines
    )
    keys: tuple[str, ...] = ()
    if license_keys:
        noun = "license key" if len(license_keys) == 1 else "license keys"
        keys = ("", *(f"Your {noun}: {key}" for key in license_keys), "Keep it safe: it is not shown anywhere else.")
    total = order.total
    return RECEIPT.render(
        order.email,
        order=str(order.id),
        rows=rows,
        net=total.net.format(),
        tax=total.tax.format(),
        total=total.gross.format(),
        tax_note=(REVERSE_CHARGE,) if order.reverse_charge else (),
        keys=keys,
        home=home,
    )
