"""The reviewers' queue over HTTP (memory adapters): what waits and why, the filters, problem+json
for bad input, and a request for changes the publisher then sees on the version's review."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from devforge.adapters.memory.clock import ManualClock
from tests.conftest import manual_clock_provider
from tests.integration.http.conftest import build_client
from tests.integration.http.marketplace_steps import Studio, bearer, open_studio
from tests.unit.marketplace.releases import package

QUEUE = "/api/extensions/review-queue"


@pytest.fixture
async def studio(clock: ManualClock) -> AsyncIterator[Studio]:
    client, container, _ = build_client(manual_clock_provider(clock), max_package_bytes=200_000)
    async with client:
        yield await open_studio(client, container)


async def test_a_passed_version_waits_in_the_queue_and_a_request_for_changes_reaches_the_publisher(
    studio: Studio,
) -> None:
    await studio.upload(package("1.2.0", "rainbow-brackets"))
    await studio.work()
    listed = await studio.client.get(QUEUE, headers=bearer(studio.reviewer))
    assert listed.status_code == 200, listed.text
    [item] = listed.json()["items"]
    assert (item["publisher"], item["extension"], item["version"]) == ("acme", "rainbow-brackets", "1.2.0")
    assert item["extensionId"] == studio.extension_id and item["reviewUrl"].endswith("targetPlatform=universal")
    assert item["waitedHours"] == 0 and "waitingSince" in item and isinstance(item["findings"], list)
    filtered = await studio.client.get(QUEUE, params={"publisher": "zenith"}, headers=bearer(studio.reviewer))
    assert filtered.json()["items"] == []

    asked = await studio.decide("request-changes", reason="Say in the README which hosts it calls.")
    assert asked.status_code == 200 and asked.json()["state"] == "changes_requested", asked.text
    seen = await studio.review(token=studio.developer)
    assert seen["state"] == "changes_requested"
    assert seen["history"][-1]["reason"] == "Say in the README which hosts it calls."
    assert (await studio.client.get(QUEUE, headers=bearer(studio.reviewer))).json()["items"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [({"severity": "severe"}, "severity"), ({"waitedHours": "-1"}, "waitedHours"), ({"limit": "0"}, "limit")],
)
async def test_bad_filters_are_problem_details_naming_the_parameter(
    studio: Studio, params: dict[str, str], field: str
) -> None:
    refused = await studio.client.get(QUEUE, params=params, headers=bearer(studio.reviewer))
    assert refused.status_code == 400, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert field in refused.text


async def test_only_reviewers_reach_the_queue(studio: Studio) -> None:
    assert (await studio.client.get(QUEUE)).status_code == 401
    assert (await studio.client.get(QUEUE, headers=bearer(studio.developer))).status_code == 403


async def test_the_schema_documents_the_queue_with_examples(studio: Studio) -> None:
    document = (await studio.client.get("/schema/openapi.json")).json()
    operation = document["paths"][QUEUE]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {"severity", "publisher", "waitedHours"}
    schemas = document["components"]["schemas"]
    queued = next(schema for name, schema in schemas.items() if name.endswith("QueuedVersionResponse"))
    assert queued["properties"]["waitedHours"]["examples"] == [26.5]
