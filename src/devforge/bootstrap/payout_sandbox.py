"""The embedded sandbox's payout demos for the CLI (``devforge payouts sandbox-reverse`` and
``sandbox-fail-payout``): the composition root hands out the sandbox's transfers adapter, which
the entrypoints may not import themselves."""

from __future__ import annotations

from devforge.adapters.payments.sandbox_payout_transfers import SandboxPayoutTransfers
from devforge.bootstrap.container import make_container
from devforge.bootstrap.settings import Settings
from devforge.bootstrap.settings.billing import BillingSettings
from devforge.domain.billing.money import Money


class NotTheSandbox(Exception):
    """The payment provider is not the embedded sandbox: there is nothing to play."""


async def reverse_transfer(settings: Settings, transfer_id: str) -> str:
    """The sandbox takes a transfer back and owes our webhook ``transfer.reversed``."""
    if settings.section(BillingSettings).payment_provider != "sandbox":
        raise NotTheSandbox("the payment provider is not the sandbox: nothing to do")
    container = make_container(settings)
    try:
        sandbox = await container.get(SandboxPayoutTransfers)
        return (await sandbox.reverse(transfer_id, f"cli-reverse-{transfer_id}")).id
    finally:
        await container.close()


async def fail_payout(settings: Settings, account_id: str, amount: Money) -> str:
    """A connected account's bank refuses its payout: the sandbox owes ``payout.failed``."""
    if settings.section(BillingSettings).payment_provider != "sandbox":
        raise NotTheSandbox("the payment provider is not the sandbox: nothing to do")
    container = make_container(settings)
    try:
        return await (await container.get(SandboxPayoutTransfers)).fail_payout(account_id, amount)
    finally:
        await container.close()
