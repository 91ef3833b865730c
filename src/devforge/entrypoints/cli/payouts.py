"""``devforge payouts run [--period YYYY-MM]``: run a period's payouts now (the worker runs the
month's on its own from ``DEVFORGE_PAYOUT_DAY_OF_MONTH``). Safe to repeat and to run beside the
worker: each payee is paid once per period, whoever runs it."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from typing import Any

from devforge.bootstrap.settings import Settings


def add_payouts_commands(commands: Any) -> None:
    payouts = commands.add_parser("payouts", help="developers' payout runs")
    actions = payouts.add_subparsers(required=True, metavar="ACTION")
    run = actions.add_parser("run", help="run a period's payouts now (this month's by default)")
    run.add_argument("--period", help="YYYY-MM (default: the current month, UTC)")
    run.set_defaults(run=run_period)


def run_period(settings: Settings, args: argparse.Namespace) -> int:
    from devforge.application.billing.run_payouts import RunPayouts
    from devforge.bootstrap.container import make_container
    from devforge.domain.billing.payout import run_id_for

    period = args.period or run_id_for(datetime.now(UTC).date())

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
