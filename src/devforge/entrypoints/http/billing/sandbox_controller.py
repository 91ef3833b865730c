"""``/api/payments/sandbox/checkout``: the sandbox provider's hosted checkout page.

Only in the sandbox profile (elsewhere every session is unknown: 404). The session id in the
address is the credential, as a provider's hosted page address is. Paying or declining is a
plain form post answered with a redirect to the shop's success or cancel URL; paying queues the
Stripe-shaped signed webhooks a real provider would send (see ``SandboxCheckout``)."""

from __future__ import annotations

from html import escape

from dishka.integrations.litestar import FromDishka
from litestar import Controller, MediaType, get, post
from litestar.response import Redirect
from litestar.status_codes import HTTP_303_SEE_OTHER

from devforge.application.billing.payment_gateway import CheckoutLine
from devforge.application.billing.sandbox_checkout import SandboxCheckout, SandboxCheckoutView
from devforge.domain.billing.money import Money
from devforge.entrypoints.http.openapi_docs import problems
from devforge.entrypoints.http.schemas import PathText

PATH = "/api/payments/sandbox/checkout"


class SandboxCheckoutController(Controller):
    path = PATH
    tags = ["payments"]

    @get(
        "/{session_id:str}",
        media_type=MediaType.HTML,
        summary="Sandbox checkout page",
        description=(
            "Public, sandbox profile only. An HTML page showing the order (lines, tax and total formatted "
            "from minor units) with Pay and Decline buttons, as a provider's hosted checkout would."
        ),
        responses=problems(400, 404, 429),
    )
    async def page(self, session_id: PathText, checkout: FromDishka[SandboxCheckout]) -> str:
        return render(await checkout.view(session_id))

    @post(
        "/{session_id:str}/pay",
        status_code=HTTP_303_SEE_OTHER,
        summary="Pay a sandbox checkout",
        description=(
            "Public, sandbox profile only. Marks the session paid, queues the signed webhooks "
            "(checkout.session.completed, payment_intent.succeeded; for a subscription also invoice.paid "
            "and customer.subscription.updated) and redirects (303) to the shop's success URL. Paying "
            "twice redirects again; a declined session is a 409."
        ),
        responses=problems(400, 404, 409, 429),
    )
    async def pay(self, session_id: PathText, checkout: FromDishka[SandboxCheckout]) -> Redirect:
        return Redirect(path=await checkout.pay(session_id), status_code=HTTP_303_SEE_OTHER)

    @post(
        "/{session_id:str}/decline",
        status_code=HTTP_303_SEE_OTHER,
        summary="Decline a sandbox checkout",
        description=(
            "Public, sandbox profile only. Marks the session declined (no webhook, as when a buyer abandons "
            "a hosted checkout) and redirects (303) to the shop's cancel URL. A paid session is a 409."
        ),
        responses=problems(400, 404, 409, 429),
    )
    async def decline(self, session_id: PathText, checkout: FromDishka[SandboxCheckout]) -> Redirect:
        return Redirect(path=await checkout.decline(session_id), status_code=HTTP_303_SEE_OTHER)


def render(view: SandboxCheckoutView) -> str:
    rows = "".join(_row(line, view.currency) for line in view.lines)
    total = _money(view.total, view.currency)
    cadence = {"month": " per month", "year": " per year"}
    interval = next((cadence.get(line.recurring, "") for line in view.lines if line.recurring), "")
    action = f"{PATH}/{escape(view.session_id)}"
    if view.status == "open":
        buttons = (
            f'<form method="post" action="{action}/pay">'
            f'<button type="submit">Pay {total}{interval}</button></form>'
            f'<form method="post" action="{action}/decline">'
            '<button type="submit" class="decline">Decline</button></form>'
        )
    else:
        buttons = f'<p class="status">This checkout is {escape(view.status)}.</p>'
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sandbox checkout</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}}
table{{width:100%;border-collapse:collapse}}td,th{{padding:.4rem;border-bottom:1px solid #ddd;text-align:right}}
td:first-child,th:first-child{{text-align:left}}form{{display:inline-block;margin:1rem .5rem 0 0}}
button{{font-size:1rem;padding:.6rem 1.2rem}}.decline{{background:#eee}}.note{{color:#a60}}</style></head>
<body><p class="note">Sandbox: no real money moves.</p>
<h1>Checkout</h1><p>Order {escape(str(view.order_id))} for {escape(view.customer_email)}</p>
<table><thead><tr><th>Item</th><th>Qty</th><th>Unit price</th><th>Tax</th><th>Amount</th></tr></thead>
<tbody>{rows}</tbody>
<tfoot><tr><th colspan="4">Total{escape(interval)}</th><th id="total">{total}</th></tr></tfoot></table>
{buttons}</body></html>"""


def _row(line: CheckoutLine, currency: str) -> str:
    amount = line.unit_amount * line.quantity + line.tax_amount
    cells = (
        escape(line.name),
        str(line.quantity),
        _money(line.unit_amount, currency),
        _money(line.tax_amount, currency),
        _money(amount, currency),
    )
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def _money(amount: int, currency: str) -> str:
    return escape(Money.of(amount, currency).format())
