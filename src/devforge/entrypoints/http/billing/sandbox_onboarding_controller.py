"""``/api/payments/sandbox/onboarding``: the sandbox provider's hosted Connect onboarding page.

Only in the sandbox profile (elsewhere every account is unknown: 404). The account id in the
address is the credential, as a provider's onboarding link is. Each button is a plain form post
that moves the connected account one step (pending -> restricted -> enabled, or enabled back to
restricted), queues the signed ``account.updated`` webhook Stripe would send, and redirects (303):
back to the page, or to the publisher's return URL once payouts are enabled."""

from __future__ import annotations

from html import escape

from dishka.integrations.litestar import FromDishka
from litestar import Controller, MediaType, get, post
from litestar.response import Redirect
from litestar.status_codes import HTTP_303_SEE_OTHER

from devforge.application.billing.sandbox_onboarding import SandboxOnboarding, SandboxOnboardingView
from devforge.domain.billing.payout_requirements import describe_requirement
from devforge.entrypoints.http.openapi_docs import problems
from devforge.entrypoints.http.schemas import PathText

PATH = "/api/payments/sandbox/onboarding"
_BUTTONS = {
    "pending": ("advance", "Submit your details"),
    "restricted": ("advance", "Upload an identity document and add a bank account"),
    "enabled": ("restrict", "Play the provider: ask for more information"),
}


class SandboxOnboardingController(Controller):
    path = PATH
    tags = ["payouts"]

    @get(
        "/{account_id:str}",
        media_type=MediaType.HTML,
        summary="Sandbox onboarding page",
        description=(
            "Public, sandbox profile only. An HTML page showing the connected account's onboarding step and what "
            "the provider still needs, with one button to take the next step, as Stripe's hosted onboarding would."
        ),
        responses=problems(400, 404, 429),
    )
    async def page(self, account_id: PathText, onboarding: FromDishka[SandboxOnboarding]) -> str:
        return render(await onboarding.view(account_id))

    @post(
        "/{account_id:str}/advance",
        status_code=HTTP_303_SEE_OTHER,
        summary="Take the next sandbox onboarding step",
        description=(
            "Public, sandbox profile only. pending -> restricted (details submitted; a document and a bank account "
            "past due, payouts disabled) -> enabled; queues a signed `account.updated` webhook and redirects (303) "
            "to the page, or to the return URL once enabled. A step posted twice moves once."
        ),
        responses=problems(400, 404, 429),
    )
    async def advance(self, account_id: PathText, onboarding: FromDishka[SandboxOnboarding]) -> Redirect:
        return Redirect(path=await onboarding.advance(account_id), status_code=HTTP_303_SEE_OTHER)

    @post(
        "/{account_id:str}/restrict",
        status_code=HTTP_303_SEE_OTHER,
        summary="Restrict a sandbox account",
        description=(
            "Public, sandbox profile only. Plays the provider asking for more: an enabled account goes back to "
            "restricted (payouts disabled), with a signed `account.updated` webhook; redirects (303) to the page."
        ),
        responses=problems(400, 404, 429),
    )
    async def restrict(self, account_id: PathText, onboarding: FromDishka[SandboxOnboarding]) -> Redirect:
        return Redirect(path=await onboarding.restrict(account_id), status_code=HTTP_303_SEE_OTHER)


def render(view: SandboxOnboardingView) -> str:
    due = "".join(f"<li>{escape(describe_requirement(code))}</li>" for code in view.requirements)
    needs = f"<p>The provider needs:</p><ul>{due}</ul>" if due else "<p>Nothing more is needed.</p>"
    action, label = _BUTTONS[view.step]
    form = (
        f'<form method="post" action="{PATH}/{escape(view.account_id)}/{action}">'
        f'<button type="submit">{escape(label)}</button></form>'
    )
    back = f'<p><a href="{escape(view.return_url)}">Back to Dev Forge</a></p>' if view.return_url else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sandbox payout onboarding</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}}
button{{font-size:1rem;padding:.6rem 1.2rem}}.note{{color:#a60}}</style></head>
<body><p class="note">Sandbox: no real account, no real money.</p>
<h1>Payout onboarding</h1><p>Account {escape(view.account_id)} ({escape(view.country)})</p>
<p>Status: <strong id="step">{escape(view.step)}</strong></p>
{needs}{form}{back}</body></html>"""
