"""Financial reports asked at once share one reading (application/billing/report_flights.py)."""

from __future__ import annotations

import asyncio

import pytest

from devforge.application.billing.report_flights import ReportFlights


class Reading:
    def __init__(self) -> None:
        self.calls, self.go = 0, asyncio.Event()
        self.fail = False

    async def __call__(self) -> tuple[int, ...]:
        self.calls += 1
        call = self.calls
        await self.go.wait()
        if self.fail and call == 1:
            raise ConnectionError("the starter's session is gone")
        return (call,)


async def test_callers_at_once_share_one_reading_and_the_next_caller_reads_again() -> None:
    flights, reading = ReportFlights(), Reading()
    callers = [asyncio.ensure_future(flights.run(("tax", 2026), reading)) for _ in range(32)]
    await asyncio.sleep(0)
    assert len(flights) == 1
    reading.go.set()
    assert set(await asyncio.gather(*callers)) == {(1,)}
    assert reading.calls == 1 and len(flights) == 0
    assert await flights.run(("tax", 2026), reading) == (2,)  # nothing kept: read again


async def test_other_reports_and_periods_are_read_apart() -> None:
    flights, reading = ReportFlights(), Reading()
    reading.go.set()
    answers = await asyncio.gather(flights.run(("tax", 2026), reading), flights.run(("fees", 2026), reading))
    assert sorted(answers) == [(1,), (2,)]


async def test_a_failed_reading_fails_its_starter_and_the_joiners_read_for_themselves() -> None:
    flights, reading = ReportFlights(), Reading()
    reading.fail = True
    starter = asyncio.ensure_future(flights.run("k", reading))
    await asyncio.sleep(0)
    joiners = [asyncio.ensure_future(flights.run("k", reading)) for _ in range(3)]
    await asyncio.sleep(0)
    reading.go.set()
    with pytest.raises(ConnectionError):
        await starter
    assert sorted(await asyncio.gather(*joiners)) == [(2,), (3,), (4,)]
    assert len(flights) == 0


async def test_the_starter_cancelled_does_not_cancel_the_reading_others_wait_for() -> None:
    flights, reading = ReportFlights(), Reading()
    starter = asyncio.ensure_future(flights.run("k", reading))
    await asyncio.sleep(0)
    joiner = asyncio.ensure_future(flights.run("k", reading))
    await asyncio.sleep(0)
    starter.cancel()
    reading.go.set()
    assert await joiner == (1,)
    assert reading.calls == 1
