"""The receipt mail, as plain text and HTML. Values are HTML-escaped in the HTML part; the
subject holds no values. License keys appear only when the purchase issued some (a node-locked
product bought in quantity issues one per unit)."""

from __future__ import annotations

from html import escape

from devforge.application.common.mailer import MailMessage
from devforge.domain.billing.order import Order

SUBJECT = "Your Dev Forge receipt"


def receipt(order: Order, *, home: str, license_keys: tuple[str, ...] = ()) -> MailMessage:
    rows = [
        (
            f"{line.quantity} x {line.product_name} ({line.interval.value})",
            line.amounts.gross.format(),
        )
        for line in order.lines
    ]
    total = order.total
    tax_note = "VAT reverse charge: the buyer accounts for the VAT." if order.reverse_charge else ""
    text = [f"Thank you for your purchase. Order {order.id}.", ""]
    text += [f"{what}: {amount}" for what, amount in rows]
    text += ["", f"Net: {total.net.format()}", f"Tax: {total.tax.format()}", f"Total paid: {total.gross.format()}"]
    if tax_note:
        text.append(tax_note)
    if license_keys:
        noun = "license key" if len(license_keys) == 1 else "license keys"
        text += ["", *(f"Your {noun}: {key}" for key in license_keys), "Keep it safe: it is not shown anywhere else."]
    text += ["", "-- ", f"Dev Forge · {home}"]
    html = [f"<p>Thank you for your purchase. Order <code>{order.id}</code>.</p><table>"]
    html += [f"<tr><td>{escape(what)}</td><td>{escape(amount)}</td></tr>" for what, amount in rows]
    html += [
        "</table>",
        f"<p>Net: {escape(total.net.format())}<br>Tax: {escape(total.tax.format())}<br>",
        f"<b>Total paid: {escape(total.gross.format())}</b></p>",
    ]
    if tax_note:
        html.append(f"<p>{escape(tax_note)}</p>")
    for key in license_keys:
        html.append(f"<p>Your license key: <code>{escape(key)}</code></p>")
    html.append(f'<hr><p style="color:#666">Dev Forge · <a href="{escape(home)}">{escape(home)}</a></p>')
    return MailMessage(to=order.email, subject=SUBJECT, text="\n".join(text) + "\n", html="".join(html))
