"""The ``ContentDeliveryNetwork`` contract on the no-op adapter and on CloudFlare (a local fake
of its purge API on a real socket), plus what CloudFlare's API asks of the adapter."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from devforge.adapters.cdn.cloudflare_cdn import CloudflareCdn
from devforge.adapters.cdn.no_op_cdn import NoOpCdn
from devforge.application.common.cdn import CdnPurgeFailed, ContentDeliveryNetwork
from tests.fakes.cloudflare_server import FakeCloudflare, running_cloudflare

PUBLIC = "https://cdn.devforge.test/files"


@pytest.fixture(scope="module")
def cloudflare() -> Iterator[FakeCloudflare]:
    with running_cloudflare() as fake:
        yield fake


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


def cloudflare_cdn(fake: FakeCloudflare, http: httpx.AsyncClient, *, token: str | None = None) -> CloudflareCdn:
    return CloudflareCdn(
        http,
        zone_id=fake.zone_id,
        api_token=token or fake.api_token,
        api_base=fake.base_url,
        public_base_url=PUBLIC,
    )


@pytest.fixture(params=["none", "cloudflare"])
def cdn(request: pytest.FixtureRequest, http: httpx.AsyncClient) -> ContentDeliveryNetwork:
    if request.param == "none":
        return NoOpCdn()
    fake: FakeCloudflare = request.getfixturevalue("cloudflare")
    fake.purged.clear()
    return cloudflare_cdn(fake, http)


async def test_purging_urls_and_keys_succeeds(cdn: ContentDeliveryNetwork) -> None:
    await cdn.purge(["https://cdn.devforge.test/files/a.vsix", "ext/acme/1.0.0/acme.vsix"])


async def test_purging_nothing_is_fine(cdn: ContentDeliveryNetwork) -> None:
    await cdn.purge([])


async def test_cloudflare_purges_keys_as_public_urls_in_batches_of_thirty(
    cloudflare: FakeCloudflare, http: httpx.AsyncClient
) -> None:
    cloudflare.purged.clear()
    keys = [f"ext/acme/{n}/acme.vsix" for n in range(65)]
    await cloudflare_cdn(cloudflare, http).purge([*keys, keys[0]])
    assert [len(batch) for batch in cloudflare.purged] == [30, 30, 5]
    assert cloudflare.purged[0][0] == "https://cdn.devforge.test/files/ext/acme/0/acme.vsix"


async def test_cloudflare_sends_nothing_for_an_empty_purge(cloudflare: FakeCloudflare, http: httpx.AsyncClient) -> None:
    cloudflare.purged.clear()
    await cloudflare_cdn(cloudflare, http).purge([])
    assert cloudflare.purged == []


async def test_a_refused_token_raises_with_cloudflares_reason(
    cloudflare: FakeCloudflare, http: httpx.AsyncClient
) -> None:
    with pytest.raises(CdnPurgeFailed, match=r"403.*Authentication error"):
        await cloudflare_cdn(cloudflare, http, token="wrong").purge(["https://cdn.devforge.test/x"])


async def test_a_throttled_purge_raises_so_the_job_retries(cloudflare: FakeCloudflare, http: httpx.AsyncClient) -> None:
    cloudflare.fail_next = 429
    with pytest.raises(CdnPurgeFailed, match="429"):
        await cloudflare_cdn(cloudflare, http).purge(["https://cdn.devforge.test/x"])


async def test_an_unreachable_api_raises(http: httpx.AsyncClient) -> None:
    cdn = CloudflareCdn(http, zone_id="z", api_token="t", api_base="http://127.0.0.1:9", public_base_url=PUBLIC)
    with pytest.raises(CdnPurgeFailed, match="could not be reached"):
        await cdn.purge(["https://cdn.devforge.test/x"])


async def test_a_key_without_a_public_base_url_is_a_configuration_error(http: httpx.AsyncClient) -> None:
    cdn = CloudflareCdn(http, zone_id="z", api_token="t", api_base="http://127.0.0.1:9")
    with pytest.raises(ValueError, match="public base URL"):
        await cdn.purge(["ext/a.vsix"])
