"""The name claims contract, on memory, SQLite and PostgreSQL: a skeleton belongs to one holder
per scope; its holder may claim it again; another holder is refused, told the holder's name and
its own field; scopes are apart; a release keeps what it is told to keep. On PostgreSQL, twenty
concurrent registrations of mutually confusable names: exactly one wins, every other is refused
naming the winner's name (the claim's primary key decides, not a read before the write)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.name_ports import NameClaim, NameClaims
from devforge.application.marketplace.register_publisher import RegisterPublisher, RegisterPublisherHandler
from devforge.domain.marketplace.errors import NameSquatted
from devforge.domain.marketplace.publisher import Publisher
from devforge.entrypoints.http.problems import domain_error_handler
from tests.integration.backends import BACKENDS
from tests.integration.marketplace.test_marketplace_repositories_contract import marketplace_backend


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with marketplace_backend(request.param, tmp_path) as built:
        yield built


async def claim(container: AsyncContainer, *claims: NameClaim) -> None:
    async with container() as scope:
        await (await scope.get(NameClaims)).claim(list(claims))
        await (await scope.get(UnitOfWork)).commit()


async def test_a_skeleton_belongs_to_one_holder_per_scope(container: AsyncContainer) -> None:
    acme, other = uuid4(), uuid4()
    await claim(container, NameClaim("publisher", "acrne", "acme", acme, "namespace"))
    await claim(container, NameClaim("publisher", "acrne", "Acme", acme, "displayName"))  # its own: kept
    with pytest.raises(NameSquatted) as refused:
        await claim(container, NameClaim("publisher", "acrne", "\u0430cme", other, "displayName"))
    assert (refused.value.collides_with, refused.value.field) == ("acme", "displayName")
    await claim(container, NameClaim("extension", "acrne", "acme", other, "name"))  # another scope
    async with container() as scope:
        claims = await scope.get(NameClaims)
        held = await claims.holder_of("publisher", "acrne")
        assert held is not None and (held.name, held.holder_id) == ("acme", acme)
        assert [(c.skeleton, c.holder_id) for c in await claims.all_claims("extension")] == [("acrne", other)]


async def test_a_release_frees_what_the_holder_no_longer_names(container: AsyncContainer) -> None:
    holder = uuid4()
    await claim(
        container,
        NameClaim("extension", "ra1nb0wbrackets", "rainbow-brackets", holder, "name"),
        NameClaim("extension", "bracketpa1nter", "Bracket Painter", holder, "displayName"),
    )
    async with container() as scope:
        await (await scope.get(NameClaims)).release("extension", holder, keep=["ra1nb0wbrackets"])
        await (await scope.get(UnitOfWork)).commit()
    await claim(container, NameClaim("extension", "bracketpa1nter", "Bracket  Painter", uuid4(), "displayName"))
    async with container() as scope:
        kept = await (await scope.get(NameClaims)).holder_of("extension", "ra1nb0wbrackets")
        assert kept is not None and kept.holder_id == holder


# Mutually confusable: one skeleton ("acrnet001s"), written twenty ways.
LOOK_ALIKES = [
    "acme-tools", "acmetools", "a-cmetools", "ac-metools", "acm-etools", "acmet-ools", "acmeto-ols",
    "acmetoo-ls", "acmetool-s", "acrnetools", "acrne-tools", "acme-t00ls", "acme-too1s", "acmet0ols",
    "acme-to0ls", "acme-t0ols", "acrne-t0ols", "acme--tools", "acmetoo1s", "acrnetoo1s",
]  # fmt: skip


async def register(container: AsyncContainer, namespace: str) -> Publisher | NameSquatted:
    async with container() as scope:
        handler = await scope.get(RegisterPublisherHandler)
        try:
            return await handler(Actor(uuid4()), RegisterPublisher(namespace, namespace))
        except NameSquatted as refused:
            return refused


async def test_twenty_concurrent_look_alikes_on_postgres_one_wins_the_rest_are_told_its_name(
    tmp_path: Path,
) -> None:
    assert len(set(LOOK_ALIKES)) == 20
    async with marketplace_backend("postgres", tmp_path) as container:
        answers = await asyncio.gather(*(register(container, name) for name in LOOK_ALIKES))
    winners = [answer for answer in answers if isinstance(answer, Publisher)]
    refusals = [answer for answer in answers if isinstance(answer, NameSquatted)]
    assert len(winners) == 1 and len(refusals) == 19
    for refused in refusals:
        assert refused.collides_with == winners[0].namespace
        response = domain_error_handler(None, refused)  # type: ignore[arg-type]
        assert response.status_code == 409 and winners[0].namespace in response.content.detail
