"""``devforge seed``: the editor's plans and their licensing policies, for a fresh install."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from devforge.bootstrap.settings import Settings


def add_seed_commands(commands: Any) -> None:
    seed = commands.add_parser("seed", help="add the editor's plans (prices and licensing policies) if missing")
    seed.set_defaults(run=run_seed)


def run_seed(settings: Settings, _: argparse.Namespace) -> int:
    from devforge.bootstrap.billing_seed import seed_editor_plans
    from devforge.bootstrap.container import make_container
    from devforge.bootstrap.migrations import migrate

    if settings.profile == "embedded":
        migrate(settings, "head")

    async def run() -> list[str]:
        container = make_container(settings)
        try:
            return await seed_editor_plans(container)
        finally:
            await container.close()

    created = asyncio.run(run())
    print(f"Seeded {', '.join(created)}" if created else "The editor's plans are already there")
    return 0
