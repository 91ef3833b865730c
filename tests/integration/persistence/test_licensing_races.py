"""Race-free activation, at the use-case level on real databases: concurrent activations never
pass the machine limit, and one fingerprint activated many times at once is one machine.

On PostgreSQL the calls are split across two containers (two engines and pools), as two server
processes would be."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.common.actor import Actor
from devforge.application.licensing.get_license import GetLicense
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.providers.identity import SqlaIdentityProvider
from devforge.bootstrap.providers.licensing import SqlaLicensingProvider
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from devforge.domain.licensing.errors import MachineLimitExceeded
from devforge.domain.licensing.permissions import LicensingPermission
from devforge.domain.licensing.policy import Overage
from tests.conftest import settings_for_tests
from tests.integration.backends import backend_container, postgres_database
from tests.unit.licensing.use_case_steps import World, activate, world

SEATS = {"floating": True, "max_machines": 3, "overage": Overage.NONE}


def sql_container(url: str) -> AsyncContainer:
    settings = settings_for_tests(database_url=url)
    return make_container(
        settings, SqlaPersistenceProvider(), SqlaIdentityProvider(), SqlaLicensingProvider(), base=memory_providers()
    )


@pytest.fixture
async def two_processes() -> AsyncIterator[tuple[AsyncContainer, AsyncContainer]]:
    async with postgres_database() as url:
        first, second = sql_container(url), sql_container(url)
        try:
            yield first, second
        finally:
            await first.close()
            await second.close()


async def seated(containers: Sequence[AsyncContainer]) -> World:
    return await world(containers[0], **SEATS)


async def active_fingerprints(container: AsyncContainer, w: World) -> list[str]:
    async with container() as scope:
        view = await (await scope.get(GetLicense))(Actor.holding(uuid4(), LicensingPermission.ADMIN), key=w.key)
    return sorted(m.fingerprint for m in view.machines)


async def activate_all(containers: Sequence[AsyncContainer], key: str, fingerprints: list[str]) -> list[object]:
    calls = (activate(containers[n % len(containers)], key, fp) for n, fp in enumerate(fingerprints))
    return await asyncio.gather(*calls, return_exceptions=True)


async def test_fifty_activations_across_two_processes_take_exactly_three_seats(
    two_processes: tuple[AsyncContainer, AsyncContainer],
) -> None:
    w = await seated(two_processes)
    outcomes = await activate_all(two_processes, w.key, [f"machine-{n}" for n in range(50)])
    refused = [o for o in outcomes if isinstance(o, BaseException)]
    assert all(isinstance(o, MachineLimitExceeded) for o in refused), refused
    assert len(refused) == 47
    assert len(await active_fingerprints(two_processes[1], w)) == 3


async def test_ten_activations_of_one_fingerprint_make_one_machine(
    two_processes: tuple[AsyncContainer, AsyncContainer],
) -> None:
    w = await seated(two_processes)
    outcomes = await activate_all(two_processes, w.key, ["laptop"] * 10)
    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    assert len({o.id for o in outcomes}) == 1  # type: ignore[attr-defined]
    assert await active_fingerprints(two_processes[0], w) == ["laptop"]


@pytest.fixture
async def sqlite_container(tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with backend_container("sqlite", tmp_path) as built:
        yield built


async def test_on_sqlite_the_limit_holds_too(sqlite_container: AsyncContainer) -> None:
    w = await seated([sqlite_container])
    outcomes = await activate_all([sqlite_container], w.key, [f"machine-{n}" for n in range(12)])
    refused = [o for o in outcomes if isinstance(o, BaseException)]
    assert all(isinstance(o, MachineLimitExceeded) for o in refused), refused
    assert len(refused) == 9
    assert len(await active_fingerprints(sqlite_container, w)) == 3
    same = await activate_all([sqlite_container], w.key, ["machine-extra"] * 5)
    assert all(isinstance(o, MachineLimitExceeded) for o in same)
