"""``devforge payments``: replay provider events that never reached the webhook, and resolve
checkouts whose provider answer was lost."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from typing import Any

from devforge.bootstrap.settings import Settings


def add_payments_commands(commands: Any) -> None:
    payments = commands.add_parser("payments", help="payment provider maintenance")
    actions = payments.add_subparsers(required=True, metavar="ACTION")
    replay = actions.add_parser("replay-events", help="fetch the provider's events and take in the missed ones")
    replay.add_argument(
        "--since",
        type=iso_time,
        help="ISO 8601 date or time, UTC unless given (default: an hour before the last one received)",
    )
    replay.set_defaults(run=replay_events)
    reconcile = actions.add_parser("reconcile-checkouts", help="ask the provider about checkouts of unknown outcome")
    reconcile.set_defaults(run=reconcile_checkouts)


def iso_time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 date or time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def replay_events(settings: Settings, args: argparse.Namespace) -> int:
    from devforge.application.billing.receive_provider_event import ReplayProviderEvents
    from devforge.bootstrap.container import make_container

    async def run() -> int:
        container = make_container(settings)
        try:
            async with container() as scope:
                return await (await scope.get(ReplayProviderEvents))(args.since)
        finally:
            await container.close()

    print(f"{asyncio.run(run())} new event(s) taken in; the worker applies them")
    return 0


def reconcile_checkouts(settings: Settings, _: argparse.Namespace) -> int:
    from devforge.application.billing.reconcile_unknown_checkouts import ReconcileUnknownCheckouts
    from devforge.bootstrap.container import make_container

    async def run() -> str:
        container = make_container(settings)
        try:
            async with container() as scope:
                report = await (await scope.get(ReconcileUnknownCheckouts))()
        finally:
            await container.close()
        return f"found {report.found}, cancelled {report.cancelled}, still unknown {report.still_unknown}"

    print(f"Checkouts of unknown outcome: {asyncio.run(run())}")
    return 0
