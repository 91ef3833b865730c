"""The marketplace's technology, each selected by a setting: the malware scanner
(``DEVFORGE_MALWARE_SCANNER``), the DNS resolver for domain verification
(``DEVFORGE_DNS_RESOLVER``), and the registry's signing key ring on disk; their memory twins."""

from __future__ import annotations

from dishka import Provider, Scope, provide

from devforge.adapters.memory.dns_resolver import StaticTxtResolver
from devforge.adapters.memory.install_tokens import InMemoryInstallTokens
from devforge.adapters.scanning.builtin_malware_scanner import BuiltinMalwareScanner
from devforge.adapters.scanning.clamd_malware_scanner import ClamdMalwareScanner
from devforge.adapters.security.ed25519_artifact_signer import Ed25519ArtifactSigner
from devforge.adapters.security.hmac_install_tokens import HmacInstallTokens
from devforge.application.marketplace.artifact_signer import ArtifactSigner
from devforge.application.marketplace.dns_resolver import DnsTxtResolver
from devforge.application.marketplace.malware_scanner import MalwareScanner
from devforge.application.marketplace.ports import InstallTokens
from devforge.bootstrap.adapter_choice import AdapterProvider
from devforge.bootstrap.settings import Settings
from devforge.bootstrap.settings.marketplace import MarketplaceSettings


class BuiltinScannerProvider(AdapterProvider):
    @provide(scope=Scope.APP)
    def scanner(self, marketplace: MarketplaceSettings) -> MalwareScanner:
        return BuiltinMalwareScanner(limits=marketplace.archive_limits)


class ClamdScannerProvider(AdapterProvider):
    """Whether clamd answers at the address is a matter for the scans (an error result the
    review reports), not for the process's start."""

    requires = ("clamd_address",)
    label = "the clamd scanner"

    @provide(scope=Scope.APP)
    def scanner(self, marketplace: MarketplaceSettings) -> MalwareScanner:
        return ClamdMalwareScanner(marketplace.clamd_address, timeout_seconds=marketplace.clamd_timeout_seconds)


class StaticDnsProvider(AdapterProvider):
    """A table of TXT records (tests fill it in through ``StaticTxtResolver``)."""

    scope = Scope.APP

    @provide
    def static_dns(self) -> StaticTxtResolver:
        return StaticTxtResolver()

    @provide
    def resolver(self, static: StaticTxtResolver) -> DnsTxtResolver:
        return static


class DnspythonDnsProvider(AdapterProvider):
    @provide(scope=Scope.APP)
    def resolver(self, marketplace: MarketplaceSettings) -> DnsTxtResolver:
        # Imported when first asked for (a namespace's ownership check), not at every start:
        # dnspython's resolver is about 10 MiB of each API process (bench/README.md).
        from devforge.adapters.dns.dnspython_txt_resolver import DnspythonTxtResolver

        return DnspythonTxtResolver(marketplace.dns_nameservers, timeout_seconds=marketplace.dns_timeout_seconds)


class RegistrySignerProvider(Provider):
    """Both real profiles: the key ring under ``DEVFORGE_REGISTRY_KEYS_DIR``, made on first start."""

    @provide(scope=Scope.APP)
    def artifact_signer(self, marketplace: MarketplaceSettings) -> ArtifactSigner:
        return Ed25519ArtifactSigner.load_or_create(marketplace.registry_keys_path)


class MemorySignerProvider(Provider):
    """Tests: a signing key made in memory."""

    @provide(scope=Scope.APP)
    def artifact_signer(self) -> ArtifactSigner:
        return Ed25519ArtifactSigner.generate()


class InstallTokensProvider(Provider):
    """Both real profiles: install tokens signed under a key derived from the secret key."""

    @provide(scope=Scope.APP)
    def install_tokens(self, settings: Settings) -> InstallTokens:
        return HmacInstallTokens(settings.secret + b":install-tokens")


class MemoryInstallTokensProvider(Provider):
    """Tests: issued tokens remembered in memory."""

    @provide(scope=Scope.APP)
    def install_tokens(self) -> InstallTokens:
        return InMemoryInstallTokens()
