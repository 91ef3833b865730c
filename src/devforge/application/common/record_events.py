from __future__ import annotations

from collections.abc import Iterable

from devforge.application.common.integration_events import envelope
from devforge.application.common.outbox import Outbox
from devforge.domain.shared.events import EventRecorder


async def record_events(outbox: Outbox, *aggregates: EventRecorder | None) -> None:
    """Move the aggregates' pending events into the outbox (same transaction as their state)."""
    await outbox.add([envelope(event) for agg in _present(aggregates) for event in agg.pull_events()])


def _present(aggregates: Iterable[EventRecorder | None]) -> Iterable[EventRecorder]:
    return (agg for agg in aggregates if agg is not None)
