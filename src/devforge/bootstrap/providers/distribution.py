"""Distribution infrastructure: signed download links, the CDN, the malware scanner, DNS TXT
lookups and the registry's artifact signer, per settings (object storage itself is chosen in
``services.py``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from dishka import Provider, Scope, provide

from devforge.adapters.cdn.cloudflare_cdn import CloudflareCdn
from devforge.adapters.cdn.no_op_cdn import NoOpCdn
from devforge.adapters.dns.dnspython_txt_resolver import DnspythonTxtResolver
from devforge.adapters.memory.dns_resolver import StaticTxtResolver
from devforge.adapters.scanning.builtin_malware_scanner import BuiltinMalwareScanner
from devforge.adapters.scanning.clamd_malware_scanner import ClamdMalwareScanner
from devforge.adapters.security.ed25519_artifact_signer import Ed25519ArtifactSigner
from devforge.adapters.security.hmac_download_links import HmacDownloadLinks
from devforge.application.common.cdn import ContentDeliveryNetwork
from devforge.application.common.download_links import DownloadLinks
from devforge.application.marketplace.artifact_signer import ArtifactSigner
from devforge.application.marketplace.dns_resolver import DnsTxtResolver
from devforge.application.marketplace.malware_scanner import MalwareScanner
from devforge.bootstrap.settings import Settings

CDN_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


def download_links(settings: Settings) -> HmacDownloadLinks:
    return HmacDownloadLinks(settings.secret + b":download-links", settings.resolved_public_base_url)


class DistributionProvider(Provider):
    """Profiles: each port on the adapter its settings name (DEVFORGE_CDN, DEVFORGE_MALWARE_SCANNER,
    DEVFORGE_DNS_RESOLVER, DEVFORGE_REGISTRY_KEYS_DIR)."""

    scope = Scope.APP

    @provide
    def links(self, settings: Settings) -> DownloadLinks:
        return download_links(settings)

    @provide
    async def cdn(self, settings: Settings) -> AsyncIterator[ContentDeliveryNetwork]:
        if settings.cdn != "cloudflare":
            yield NoOpCdn()
            return
        async with httpx.AsyncClient(timeout=CDN_TIMEOUT) as client:
            yield CloudflareCdn(
                client,
                zone_id=settings.cloudflare_zone_id,
                api_token=settings.cloudflare_api_token,
                api_base=settings.cloudflare_api_base,
                public_base_url=settings.cdn_public_base_url,
            )

    @provide
    def malware_scanner(self, settings: Settings) -> MalwareScanner:
        if settings.resolved_malware_scanner == "clamd":
            return ClamdMalwareScanner(settings.clamd_address, timeout_seconds=settings.clamd_timeout_seconds)
        return BuiltinMalwareScanner()

    @provide
    def dns_resolver(self, settings: Settings) -> DnsTxtResolver:
        if settings.resolved_dns_resolver == "dnspython":
            return DnspythonTxtResolver(settings.dns_nameservers, timeout_seconds=settings.dns_timeout_seconds)
        return StaticTxtResolver()

    @provide
    def artifact_signer(self, settings: Settings) -> ArtifactSigner:
        return Ed25519ArtifactSigner.load_or_create(settings.registry_keys_path)


class MemoryDistributionProvider(Provider):
    """Tests: no CDN (it records purges), the built-in scanner, a DNS table tests fill in, and a
    signing key made in memory. The concrete fakes are provided too, so tests can drive them."""

    scope = Scope.APP
    no_op_cdn = provide(NoOpCdn)

    @provide
    def static_dns(self) -> StaticTxtResolver:
        return StaticTxtResolver()

    @provide
    def links(self, settings: Settings) -> DownloadLinks:
        return download_links(settings)

    @provide
    def cdn(self, cdn: NoOpCdn) -> ContentDeliveryNetwork:
        return cdn

    @provide
    def malware_scanner(self) -> MalwareScanner:
        return BuiltinMalwareScanner()

    @provide
    def dns_resolver(self, static: StaticTxtResolver) -> DnsTxtResolver:
        return static

    @provide
    def artifact_signer(self) -> ArtifactSigner:
        return Ed25519ArtifactSigner.generate()
