"""``devforge payouts run [--period YYYY-MM]``: run a period's payouts now (the worker runs the
month's on its own from ``DEVFORGE_PAYOUT_DAY_OF_MONTH``). Safe to repeat and to run beside the
worker: each payee is paid once per period, whoever runs it.

With the embedded sandbox as the provider, for demos: ``devforge payouts sandbox-reverse
TRANSFER_ID`` and ``devforge payouts sandbox-fail-payout ACCOUNT_ID AMOUNT CURRENCY`` make the
sandbox owe our webhook ``transfer.reversed`` / ``payout.failed``, as Stripe would send them."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from typing import Any

from devforge.bootstrap.settings import Settings


def add_payouts_commands(commands: Any) -> None:
    payouts = commands.add_parser("payouts", help="developers' payout runs")
    actions = payouts.add_subparsers(required=True, metavar="ACTION")
    run = actions.add_parser("run", help="run a period's payouts now (this month's by default)")
    run.add_argument("--period", help="YYYY-MM (default: the current month, UTC)")
    run.set_defaults(run=run_period)
    reverse = actions.add_parser("sandbox-reverse", help="the embedded sandbox reverses a transfer (demos, tests)")
    reverse.add_argument("transfer_id")
    reverse.set_defaults(run=sandbox_reverse)
    fail = actions.add_parser("sandbox-fail-payout", help="the sandbox's connected account's bank refuses a payout")
    fail.add_argument("account_id")
    fail.add_argument("amount", type=int, help="minor units")
    fail.add_argument("currency")
    fail.set_defaults(run=sandbox_fail_payout)


def run_period(settings: Settings, args: argparse.Namespace) -> int:
    from devforge.application.billing.run_payouts import RunPayouts
    from devforge.bootstrap.container import make_container
    from devforge.domain.billing.payout import PayoutPeriodMalformed, check_run_id, run_id_for

    period = args.period or run_id_for(datetime.now(UTC).date())
    try:
        check_run_id(period)
    except PayoutPeriodMalformed as refused:
        print(f"--period {period!r}: {refused.message}", file=sys.stderr)
        return 2

    async def run() -> str:
        container = make_container(settings)
        try:
            async with container() as scope:
                report = await (await scope.get(RunPayouts))(period)
        finally:
            await container.close()
        pending = (
            f", {report.still_pending} still pending (the provider did not answer)" if report.still_pending else ""
        )
        return (
            f"payout run {report.run_id}: {report.paid} paid, {report.skipped} skipped, {report.sent} sent, "
            f"{report.returned} refused{pending}"
        )

    print(asyncio.run(run()))
    return 0


def sandbox_reverse(settings: Settings, args: argparse.Namespace) -> int:
    from devforge.bootstrap.payout_sandbox import NotTheSandbox, reverse_transfer

    try:
        transfer = asyncio.run(reverse_transfer(settings, args.transfer_id))
    except NotTheSandbox as refused:
        print(refused, file=sys.stderr)
        return 2
    print(f"transfer {transfer} reversed; transfer.reversed is on its way to the webhook")
    return 0


def sandbox_fail_payout(settings: Settings, args: argparse.Namespace) -> int:
    from devforge.bootstrap.payout_sandbox import NotTheSandbox, fail_payout
    from devforge.domain.billing.money import Money

    try:
        payout = asyncio.run(fail_payout(settings, args.account_id, Money.of(args.amount, args.currency)))
    except NotTheSandbox as refused:
        print(refused, file=sys.stderr)
        return 2
    print(f"payout {payout} of {args.account_id} failed; payout.failed is on its way to the webhook")
    return 0
