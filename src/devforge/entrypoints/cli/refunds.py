"""``devforge refunds resolve-unknown``: settle refunds whose provider call had no answer, by
asking the provider again with each refund's own idempotency key (never a second refund)."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from devforge.bootstrap.settings import Settings


def add_refunds_commands(commands: Any) -> None:
    refunds = commands.add_parser("refunds", help="refunds whose outcome is unknown")
    actions = refunds.add_subparsers(required=True, metavar="ACTION")
    resolve = actions.add_parser("resolve-unknown", help="ask the provider again about refunds of unknown outcome")
    resolve.add_argument("--limit", type=int, default=50, help="at most this many refunds (default 50)")
    resolve.set_defaults(run=resolve_unknown)


def resolve_unknown(settings: Settings, args: argparse.Namespace) -> int:
    from devforge.application.billing.resolve_unknown_refunds import ResolveUnknownRefunds
    from devforge.bootstrap.container import make_container

    async def run() -> int:
        container = make_container(settings)
        try:
            async with container() as scope:
                return await (await scope.get(ResolveUnknownRefunds))(limit=args.limit)
        finally:
            await container.close()

    print(f"{asyncio.run(run())} refund(s) settled; any others are still unknown")
    return 0
