"""Licensing: use cases (every profile), the key digests and validation cache, and the
repositories on SQL or memory."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all

from devforge.adapters.memory.licensing import (
    InMemoryLicenseReader,
    InMemoryLicenseRepository,
    InMemoryLicenseUsageCounters,
    InMemoryPolicyRepository,
    InMemoryProductRepository,
)
from devforge.adapters.memory.licensing_catalog import (
    InMemoryEntitlementRepository,
    InMemoryLicenseReferences,
    InMemoryLicensingCatalogReader,
)
from devforge.adapters.memory.store import MemoryStore
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.adapters.persistence.licensing import (
    SqlaLicenseReader,
    SqlaLicenseRepository,
    SqlaLicenseUsageCounters,
    SqlaPolicyRepository,
    SqlaProductRepository,
)
from devforge.adapters.persistence.licensing_catalog import SqlaEntitlementRepository, SqlaLicenseReferences
from devforge.adapters.persistence.licensing_catalog_reader import SqlaLicensingCatalogReader
from devforge.adapters.security.aes_gcm_license_file_cipher import AesGcmLicenseFileCipher
from devforge.adapters.security.ed25519_license_signer import Ed25519LicenseSigner
from devforge.application.common.cache import ReadMostlyCache
from devforge.application.identity.account_lookup import AccountLookup
from devforge.application.licensing.activate_license import ActivateLicenseHandler
from devforge.application.licensing.announce_license_expiry import AnnounceLicenseExpiry
from devforge.application.licensing.check_out_license_file import CheckOutLicenseFileHandler
from devforge.application.licensing.create_policy import CreatePolicyHandler
from devforge.application.licensing.create_product import CreateProductHandler
from devforge.application.licensing.cull_dead_machines import CullDeadMachines
from devforge.application.licensing.deactivate_machine import DeactivateMachineHandler
from devforge.application.licensing.define_entitlement import DefineEntitlementHandler
from devforge.application.licensing.delete_entitlement import DeleteEntitlementHandler
from devforge.application.licensing.delete_policy import DeletePolicyHandler
from devforge.application.licensing.delete_product import DeleteProductHandler
from devforge.application.licensing.flush_validation_tally import FlushValidationTally
from devforge.application.licensing.generate_license import GenerateLicenseHandler
from devforge.application.licensing.get_license import GetLicense
from devforge.application.licensing.get_policy import GetPolicy
from devforge.application.licensing.get_product import GetProduct
from devforge.application.licensing.holdings import LicenseHoldings
from devforge.application.licensing.key_digests import HmacLicenseKeyDigests
from devforge.application.licensing.license_cache import LicenseCache
from devforge.application.licensing.list_entitlements import ListEntitlements
from devforge.application.licensing.list_my_licenses import ListMyLicenses
from devforge.application.licensing.list_policies import ListPolicies
from devforge.application.licensing.list_products import ListProducts
from devforge.application.licensing.offline_files import OfflineLicenses
from devforge.application.licensing.ping_heartbeat import PingHeartbeatHandler
from devforge.application.licensing.ports import (
    AccountDirectory,
    EntitlementRepository,
    LicenseKeyDigests,
    LicenseReader,
    LicenseReferences,
    LicenseRepository,
    LicenseUsageCounters,
    LicensingCatalogReader,
    PolicyRepository,
    ProductRepository,
)
from devforge.application.licensing.publish_revocation_list import PublishRevocationList
from devforge.application.licensing.reinstate_license import ReinstateLicenseHandler
from devforge.application.licensing.rename_product import RenameProductHandler
from devforge.application.licensing.renew_license import RenewLicenseHandler
from devforge.application.licensing.revoke_license import RevokeLicenseHandler
from devforge.application.licensing.signing import LicenseFileCipher, LicenseSigner
from devforge.application.licensing.suspend_license import SuspendLicenseHandler
from devforge.application.licensing.update_policy import UpdatePolicyHandler
from devforge.application.licensing.validate_license import ValidateLicenseHandler
from devforge.application.licensing.validation_tally import ValidationTally
from devforge.bootstrap.accounts import IdentityAccountDirectory
from devforge.bootstrap.settings import Settings
from devforge.bootstrap.settings.licensing import LicensingSettings


class LicensingUseCasesProvider(Provider):
    scope = Scope.REQUEST
    use_cases = provide_all(
        CreateProductHandler,
        CreatePolicyHandler,
        ListProducts,
        GetProduct,
        RenameProductHandler,
        DeleteProductHandler,
        ListPolicies,
        GetPolicy,
        UpdatePolicyHandler,
        DeletePolicyHandler,
        DefineEntitlementHandler,
        ListEntitlements,
        DeleteEntitlementHandler,
        GenerateLicenseHandler,
        GetLicense,
        ListMyLicenses,
        LicenseHoldings,
        ActivateLicenseHandler,
        DeactivateMachineHandler,
        PingHeartbeatHandler,
        RenewLicenseHandler,
        SuspendLicenseHandler,
        ReinstateLicenseHandler,
        RevokeLicenseHandler,
        CullDeadMachines,
        AnnounceLicenseExpiry,
        FlushValidationTally,
        CheckOutLicenseFileHandler,
        PublishRevocationList,
    )

    validate = provide(ValidateLicenseHandler, scope=Scope.APP)

    @provide
    def accounts(self, lookup: AccountLookup) -> AccountDirectory:
        """Identity's published interface serves licensing's port."""
        return IdentityAccountDirectory(lookup)

    tally = provide(ValidationTally, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def key_digests(self, settings: Settings) -> LicenseKeyDigests:
        return HmacLicenseKeyDigests(settings.secret + b":license-keys")

    @provide(scope=Scope.APP)
    def license_cache(self, cache: ReadMostlyCache) -> LicenseCache:
        return LicenseCache(cache)

    @provide(scope=Scope.APP)
    def file_cipher(self) -> LicenseFileCipher:
        return AesGcmLicenseFileCipher()

    @provide(scope=Scope.APP)
    def offline_licenses(self, signer: LicenseSigner, cipher: LicenseFileCipher) -> OfflineLicenses:
        return OfflineLicenses(signer, cipher)


class DiskLicenseSignerProvider(Provider):
    """Both profiles: the key ring under ``license_keys_path``, made with one key on first start."""

    @provide(scope=Scope.APP)
    def signer(self, licensing: LicensingSettings) -> LicenseSigner:
        return Ed25519LicenseSigner.load_or_create(licensing.license_keys_path)


class SqlaLicensingProvider(Provider):
    scope = Scope.REQUEST
    products = provide(SqlaProductRepository, provides=ProductRepository)
    policies = provide(SqlaPolicyRepository, provides=PolicyRepository)
    licenses = provide(SqlaLicenseRepository, provides=LicenseRepository)
    entitlements = provide(SqlaEntitlementRepository, provides=EntitlementRepository)
    references = provide(SqlaLicenseReferences, provides=LicenseReferences)
    reader = provide(SqlaLicenseReader, provides=LicenseReader, scope=Scope.APP)
    catalog_reader = provide(SqlaLicensingCatalogReader, provides=LicensingCatalogReader, scope=Scope.APP)
    usage = provide(SqlaLicenseUsageCounters, provides=LicenseUsageCounters)


class MemoryLicensingProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def signer(self) -> LicenseSigner:
        """A fresh ring in memory per container: nothing touches the disk."""
        return Ed25519LicenseSigner.generate()

    @provide
    def products(self, transaction: InMemoryUnitOfWork) -> ProductRepository:
        return InMemoryProductRepository(transaction.store)

    @provide
    def policies(self, transaction: InMemoryUnitOfWork) -> PolicyRepository:
        return InMemoryPolicyRepository(transaction.store)

    @provide
    def entitlements(self, transaction: InMemoryUnitOfWork) -> EntitlementRepository:
        return InMemoryEntitlementRepository(transaction.store)

    @provide
    def references(self, transaction: InMemoryUnitOfWork) -> LicenseReferences:
        return InMemoryLicenseReferences(transaction.store)

    @provide
    def licenses(self, transaction: InMemoryUnitOfWork) -> LicenseRepository:
        return InMemoryLicenseRepository(transaction.store)

    @provide(scope=Scope.APP)
    def reader(self, store: MemoryStore) -> LicenseReader:
        return InMemoryLicenseReader(store)

    @provide(scope=Scope.APP)
    def catalog_reader(self, store: MemoryStore) -> LicensingCatalogReader:
        return InMemoryLicensingCatalogReader(store)

    @provide
    def usage(self, transaction: InMemoryUnitOfWork) -> LicenseUsageCounters:
        return InMemoryLicenseUsageCounters(transaction.store)
