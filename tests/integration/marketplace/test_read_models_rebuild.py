"""``devforge read-models rebuild``: with every listing, download count and rating summary wiped,
a rebuild from the source rows gives back exactly what the consumers had built, on memory,
SQLite and PostgreSQL; the command says how far it got."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from devforge.adapters.memory.clock import ManualClock
from devforge.application.marketplace.rebuild_read_models import ReadModel
from devforge.bootstrap.container import make_container, memory_providers, sql_providers
from devforge.entrypoints.cli.main import main
from devforge.entrypoints.cli.read_models import rebuild
from tests.conftest import manual_clock_provider, settings_for_tests
from tests.integration.backends import BACKENDS, postgres_database, sqlite_database
from tests.unit.marketplace.catalogue_story import (
    Catalogue,
    ReadModels,
    build_catalogue,
    read_models,
    wipe_read_models,
)
from tests.unit.marketplace.world import Market, Outside, marketplace_container


@asynccontextmanager
async def market_on(backend: str, folder: Path, url: str | None = None) -> AsyncIterator[tuple[Market, ManualClock]]:
    """The marketplace's world with persistence on ``backend`` (or on the database at ``url``)."""
    if backend != "memory" and url is None:
        database = postgres_database() if backend == "postgres" else sqlite_database(folder)
        async with database as fresh, market_on(backend, folder, fresh) as world:
            yield world
        return
    clock, outside = ManualClock(), Outside()
    if url is None:
        container = marketplace_container(clock, outside)
    else:
        overrides = (*sql_providers(), manual_clock_provider(clock), outside.provider())
        container = make_container(settings_for_tests(database_url=url), *overrides, base=memory_providers())
    try:
        yield Market(container, outside), clock
    finally:
        await container.close()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_rebuild_from_nothing_gives_back_what_the_consumers_built(backend: str, tmp_path: Path) -> None:
    async with market_on(backend, tmp_path) as (market, clock):
        catalogue = await build_catalogue(market, clock)
        await market.settle()
        built = await read_models(market, catalogue)
        assert sum(1 for listing in built.listings.values() if listing) == 2

        await wipe_read_models(market, backend)
        wiped = await read_models(market, catalogue)
        assert set(wiped.listings.values()) == {None} and set(wiped.downloads.values()) == {0}

        said: list[tuple[ReadModel, int, int]] = []
        await rebuild(market.container, progress=lambda *step: said.append(step), batch=3)
        assert await read_models(market, catalogue) == built
        assert said == [
            (model, done, 4)
            for model in (ReadModel.DOWNLOADS, ReadModel.RATINGS, ReadModel.LISTINGS)
            for done in (0, 3, 4)
        ]
        await rebuild(market.container)  # again: nothing changes
        assert await read_models(market, catalogue) == built


def test_the_command_rebuilds_one_read_model_and_says_how_far_it_got(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "devforge.db"
    url = f"sqlite+aiosqlite:///{database}"

    async def seeded() -> tuple[Catalogue, ReadModels]:
        async with sqlite_database(tmp_path) as fresh:
            Path(fresh.removeprefix("sqlite+aiosqlite:///")).rename(database)
        async with market_on("sqlite", tmp_path, url) as (market, clock):
            catalogue = await build_catalogue(market, clock)
            await market.settle()
            built = await read_models(market, catalogue)
            await wipe_read_models(market, "sqlite")
            return catalogue, built

    catalogue, built = asyncio.run(seeded())
    capsys.readouterr()  # what the worker's steps logged
    monkeypatch.setenv("DEVFORGE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DEVFORGE_DATABASE_URL", url)
    for model in ("downloads", "ratings", "listings"):
        assert main(["read-models", "rebuild", "--only", model, "--batch", "3"]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[:2] == ["downloads: 0/4 extensions", "downloads: 3/4 extensions"]
    assert said[2].startswith("downloads: 4/4 extensions, done in ") and said[-1].startswith("listings: 4/4")

    async def restated() -> ReadModels:
        async with market_on("sqlite", tmp_path, url) as (market, _):
            return await read_models(market, catalogue)

    assert asyncio.run(restated()) == built
    with pytest.raises(SystemExit) as refused:
        main(["read-models", "rebuild", "--only", "everything"])
    assert refused.value.code == 2 and "invalid choice" in capsys.readouterr().err
