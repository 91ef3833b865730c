"""CPU per event of ``POST /api/analytics/events``'s own work, in process (no HTTP, no store):
the body's decoding, the ingest use case (embedded profile's fakes-free wiring: memory claims, the
process's buffer) and the answer's encoding, on fixed 1,000-event batches, by ``time.process_time``
(a loaded machine's other processes do not count). The buffer is emptied between batches, untimed.

    .venv/bin/python bench/analytics_ingest_cpu.py [--batches 60] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.analytics_ingest import bodies, environment, make_key

from devforge.application.analytics.event_buffer import EventBuffer
from devforge.application.analytics.ingest_events import IngestBatch, IngestEvents
from devforge.application.analytics.ingestion_credentials import Credential
from devforge.bootstrap.container import make_container
from devforge.bootstrap.settings import load_settings
from devforge.entrypoints.http.analytics.event_decoding import events_of
from devforge.entrypoints.http.analytics.schemas import EventsAnswerResponse

BATCH = 1000


async def measure(env: dict[str, str], key: str, payloads: list[bytes], profile: bool) -> float:
    container = make_container(load_settings(env))
    encoder = msgspec.json.Encoder()
    try:
        buffer = await container.get(EventBuffer)
        async with container() as scope:
            handler = await scope.get(IngestEvents)
            await _one(handler, key, payloads[0], encoder)  # warm: the key, the salt, the install memo
        spent = 0.0
        profiler = cProfile.Profile() if profile else None
        for payload in payloads[1:]:
            async with container() as scope:
                handler = await scope.get(IngestEvents)
                started = time.process_time()
                if profiler:
                    profiler.enable()
                await _one(handler, key, payload, encoder)
                if profiler:
                    profiler.disable()
                spent += time.process_time() - started
            buffer._events.clear()  # untimed: the flush is not this figure's
        if profiler:
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return spent / ((len(payloads) - 1) * BATCH) * 1e6
    finally:
        await container.close()


async def _one(handler: IngestEvents, key: str, payload: bytes, encoder: msgspec.json.Encoder) -> None:
    events, sent_at = events_of(payload)
    answer = await handler(IngestBatch(events, Credential(key), len(payload), "203.0.113.7", sent_at))
    body = encoder.encode(EventsAnswerResponse.of(answer))
    assert answer.count(answer.events[0].status) == BATCH and body


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=60)
    parser.add_argument("--profile", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = environment("embedded", Path(folder), "", "")
        key, _ = make_key(env)
        payloads = bodies((options.batches + 1) * BATCH, BATCH)
        per_event = asyncio.run(measure(env, key, payloads, options.profile))
    print(f"{per_event:.2f} µs of CPU per event (batches of {BATCH}, {options.batches} batches)")


if __name__ == "__main__":
    main()
