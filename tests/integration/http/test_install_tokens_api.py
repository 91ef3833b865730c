"""Install tokens over HTTP (memory adapters): a download counts once per (install, version, day)
for a token the server issued, a made-up or forged token counts for the address, and an address
gets a bounded number of tokens a day."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.integration.http.conftest import build_client
from tests.integration.http.marketplace_steps import Studio, open_studio
from tests.integration.http.test_marketplace_api import approved
from tests.unit.marketplace.corpus import clean_package

INSTALLS = "/api/extensions/installs"


@pytest.fixture
async def studio() -> AsyncIterator[Studio]:
    client, container, _ = build_client(max_package_bytes=200_000, marketplace_install_tokens_per_day=3)
    async with client:
        yield await open_studio(client, container)


async def downloads(studio: Studio) -> int:
    await studio.work()
    listed = (await studio.client.get("/api/extensions", params={"publisher": "acme"})).json()["items"]
    return int(listed[0]["downloads"])


async def test_a_download_counts_once_per_issued_install_and_forged_tokens_count_for_the_address(
    studio: Studio,
) -> None:
    await approved(studio, clean_package("1.2.0"))
    issued = [await studio.client.post(INSTALLS) for _ in range(2)]
    assert [answer.status_code for answer in issued] == [201, 201]
    first, second = (answer.json()["installToken"] for answer in issued)
    assert issued[0].json()["installId"] != issued[1].json()["installId"]
    url = f"/api/extensions/{studio.extension_id}/download"
    for token in (first, first, second, first + "x", "dfi1.forged.token", None, None):
        headers = {"X-Devforge-Install": token} if token else {}
        assert (await studio.client.get(url, headers=headers)).status_code == 200
    assert await downloads(studio) == 3  # the first install, the second, and the address for the rest


async def test_an_address_gets_a_bounded_number_of_install_tokens_a_day(studio: Studio) -> None:
    answers = [await studio.client.post(INSTALLS) for _ in range(4)]
    assert [answer.status_code for answer in answers] == [201, 201, 201, 429]
    assert answers[-1].headers["content-type"].startswith("application/problem+json")
    assert int(answers[-1].headers["Retry-After"]) > 0
