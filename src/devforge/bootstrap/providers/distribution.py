"""Distribution infrastructure every context may use: signed download links, and the CDN the
settings select (``DEVFORGE_CDN``). Object storage is in ``services.py``; the marketplace's
scanner, DNS lookups and artifact signer in ``marketplace_adapters.py``."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide

from devforge.adapters.cdn.no_op_cdn import NoOpCdn
from devforge.adapters.security.hmac_download_links import HmacDownloadLinks
from devforge.application.common.cdn import ContentDeliveryNetwork
from devforge.application.common.download_links import DownloadLinks
from devforge.bootstrap.adapter_choice import AdapterProvider
from devforge.bootstrap.settings import Settings

CDN_TIMEOUT_SECONDS, CDN_CONNECT_TIMEOUT_SECONDS = 10.0, 5.0


def download_links(settings: Settings) -> HmacDownloadLinks:
    return HmacDownloadLinks(settings.secret + b":download-links", settings.http.resolved_public_base_url)


class DownloadLinksProvider(Provider):
    """Every profile: links signed with the secret key, pointing at the public base URL."""

    @provide(scope=Scope.APP)
    def links(self, settings: Settings) -> DownloadLinks:
        return download_links(settings)


class NoCdnProvider(AdapterProvider):
    """``DEVFORGE_CDN=none``: nothing to purge (tests observe the purges it records)."""

    scope = Scope.APP
    no_op_cdn = provide(NoOpCdn)

    @provide
    def cdn(self, cdn: NoOpCdn) -> ContentDeliveryNetwork:
        return cdn


class CloudflareCdnProvider(AdapterProvider):
    """``DEVFORGE_CDN=cloudflare``: purges through CloudFlare's API for the configured zone."""

    scope = Scope.APP
    requires = ("cloudflare_zone_id", "cloudflare_api_token")
    label = "the CloudFlare CDN"

    @provide
    async def cdn(self, settings: Settings) -> AsyncIterator[ContentDeliveryNetwork]:
        import httpx  # only where the CDN is chosen: about 13 MiB of each API process otherwise

        from devforge.adapters.cdn.cloudflare_cdn import CloudflareCdn

        cdn = settings.content_delivery
        timeout = httpx.Timeout(CDN_TIMEOUT_SECONDS, connect=CDN_CONNECT_TIMEOUT_SECONDS)
        async with httpx.AsyncClient(timeout=timeout) as client:
            yield CloudflareCdn(
                client,
                zone_id=cdn.cloudflare_zone_id,
                api_token=cdn.cloudflare_api_token,
                api_base=cdn.cloudflare_api_base,
                public_base_url=cdn.cdn_public_base_url,
            )
