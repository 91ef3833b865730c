"""Pings: a route records one as an integration event; a consumer writes it down; a periodic
job tallies them."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from tests.integration.throwaway_context.published import PingedV1


class Pings(Protocol):
    """Transactional: the pings written down, by source."""

    async def add(self, source: str) -> None: ...

    async def count(self) -> int: ...


class Ping:
    def __init__(self, uow: UnitOfWork, outbox: Outbox, clock: Clock) -> None:
        self._uow, self._outbox, self._clock = uow, outbox, clock

    async def __call__(self, source: str) -> UUID:
        event = PingedV1(source=source).envelope(self._clock.now())
        await self._outbox.add([event])
        await self._uow.commit()
        return event.event_id


class WhenPingedWriteItDown:
    name = "throwaway.write_ping_down"
    subscribes_to = (PingedV1,)

    def __init__(self, pings: Pings) -> None:
        self._pings = pings

    async def handle(self, event: EventEnvelope) -> None:
        await self._pings.add(PingedV1.decode(event).source)


class PingTally:
    """The count the periodic job saw last."""

    def __init__(self) -> None:
        self.last: int | None = None


class TallyPings:
    def __init__(self, pings: Pings, tally: PingTally) -> None:
        self._pings, self._tally = pings, tally

    async def __call__(self) -> int:
        self._tally.last = await self._pings.count()
        return self._tally.last
