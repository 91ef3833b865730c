"""The throwaway context as the composition root sees it: the one module a new context adds
under ``bootstrap/contexts/``."""

from __future__ import annotations

from dishka import AsyncContainer, Provider, Scope, provide, provide_all

from devforge.adapters.memory.store import Tables
from devforge.bootstrap.context import Context, PeriodicJob
from devforge.domain.identity.roles import Role
from tests.integration.throwaway_context.adapters import InMemoryPings, SqlaPings, throwaway_pings
from tests.integration.throwaway_context.application import Ping, Pings, PingTally, TallyPings, WhenPingedWriteItDown
from tests.integration.throwaway_context.permissions import ThrowawayPermission


class ThrowawayProvider(Provider):
    scope = Scope.REQUEST
    use_cases = provide_all(Ping, TallyPings)
    tally = provide(PingTally, scope=Scope.APP)


class SqlaThrowawayProvider(Provider):
    pings = provide(SqlaPings, provides=Pings, scope=Scope.REQUEST)


class MemoryThrowawayProvider(Provider):
    @provide(scope=Scope.REQUEST)
    def pings(self, tables: Tables) -> Pings:
        return InMemoryPings(tables)


async def tally_pings(container: AsyncContainer) -> bool:
    async with container() as scope:
        await (await scope.get(TallyPings))()
    return False


CONTEXT = Context(
    name="throwaway",
    providers=(ThrowawayProvider,),
    sql=(SqlaThrowawayProvider,),
    memory=(MemoryThrowawayProvider,),
    consumers=(WhenPingedWriteItDown,),
    periodic_jobs=(PeriodicJob("tally_pings", 60, tally_pings),),
    http_routes="tests.integration.throwaway_context.http",
    permissions={Role.DEVELOPER: {ThrowawayPermission.PINGS_SEND}},
    tables=(throwaway_pings,),
)
