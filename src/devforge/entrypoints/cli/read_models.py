"""``devforge read-models rebuild [--only listings|downloads|ratings]``: restate the marketplace's
read models from the source rows, every extension's, one batch per transaction, saying how far
it got as it goes. Safe while the service runs, and to run again."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from dishka import AsyncContainer

from devforge.application.marketplace.rebuild_read_models import BATCH, REBUILD_ORDER, ReadModel, RebuildReadModels
from devforge.bootstrap.settings import Settings

Progress = Callable[[ReadModel, int, int], None]


def add_read_models_commands(commands: Any) -> None:
    read_models = commands.add_parser("read-models", help="the marketplace's listings, download counts and ratings")
    actions = read_models.add_subparsers(required=True, metavar="ACTION")
    rebuild_ = actions.add_parser("rebuild", help="restate them from the source rows, every extension's")
    rebuild_.add_argument(
        "--only", choices=[model.value for model in ReadModel], help="one read model (default: all three, in order)"
    )
    rebuild_.add_argument("--batch", type=int, default=BATCH, help=f"extensions per transaction (default {BATCH})")
    rebuild_.set_defaults(run=run_rebuild)


async def rebuild(
    container: AsyncContainer,
    models: Sequence[ReadModel] = REBUILD_ORDER,
    progress: Progress = lambda *_: None,
    batch: int = BATCH,
) -> None:
    """Each model in turn over every extension; ``progress(model, done, total)`` after each batch."""
    for model in models:
        async with container() as scope:
            total = await (await scope.get(RebuildReadModels)).extensions()
        done, after = 0, None
        progress(model, done, total)
        while True:
            async with container() as scope:
                ids = await (await scope.get(RebuildReadModels)).batch(model, after, batch)
            if not ids:
                break
            done, after = done + len(ids), ids[-1]
            progress(model, done, max(total, done))


def run_rebuild(settings: Settings, args: argparse.Namespace) -> int:
    from devforge.bootstrap.container import make_container

    if args.batch < 1:
        print("devforge: --batch must be at least 1", file=sys.stderr)
        return 2
    models = [ReadModel(args.only)] if args.only else list(REBUILD_ORDER)

    async def run() -> None:
        container = make_container(settings)
        try:
            await rebuild(container, models, _Reporter(sys.stdout), args.batch)
        finally:
            await container.close()

    asyncio.run(run())
    return 0


class _Reporter:
    """One line per batch (``listings: 400/1,532 extensions``), and the time each model took."""

    def __init__(self, out: TextIO) -> None:
        self._out, self._started = out, time.monotonic()

    def __call__(self, model: ReadModel, done: int, total: int) -> None:
        if done == 0:
            self._started = time.monotonic()
        line = f"{model.value}: {done:,}/{total:,} extensions"
        if done == total:
            line += f", done in {time.monotonic() - self._started:.1f} s"
        print(line, file=self._out, flush=True)
