"""Identity's access control: the authorizer, admin use cases and API keys (SQL or memory)."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all

from devforge.adapters.memory.api_keys import InMemoryApiKeyRepository
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.adapters.persistence.api_keys import SqlaApiKeyRepository
from devforge.application.identity.api_key_secrets import ApiKeySecrets
from devforge.application.identity.authenticate_api_key import AuthenticateApiKey
from devforge.application.identity.change_user_role import ChangeUserRoleHandler
from devforge.application.identity.create_api_key import CreateApiKeyHandler
from devforge.application.identity.disable_user import DisableUserHandler
from devforge.application.identity.enable_user import EnableUserHandler
from devforge.application.identity.list_api_keys import ListApiKeys
from devforge.application.identity.list_users import ListUsers
from devforge.application.identity.permissions import Authorizer
from devforge.application.identity.ports import ApiKeyRepository
from devforge.application.identity.revoke_api_key import RevokeApiKeyHandler
from devforge.application.identity.show_user import ShowUser
from devforge.bootstrap.context import Contexts
from devforge.bootstrap.settings import Settings
from devforge.domain.identity.role_table import RoleTable


class AccessUseCasesProvider(Provider):
    scope = Scope.REQUEST
    use_cases = provide_all(
        Authorizer,
        AuthenticateApiKey,
        CreateApiKeyHandler,
        ListApiKeys,
        RevokeApiKeyHandler,
        ListUsers,
        ShowUser,
        ChangeUserRoleHandler,
        DisableUserHandler,
        EnableUserHandler,
    )

    @provide(scope=Scope.APP)
    def role_table(self, contexts: Contexts) -> RoleTable:
        """Every context's permissions, as each context's module grants them."""
        return contexts.role_table()

    @provide(scope=Scope.APP)
    def api_key_secrets(self, settings: Settings) -> ApiKeySecrets:
        return ApiKeySecrets(settings.secret + b":api-keys")


class SqlaAccessProvider(Provider):
    scope = Scope.REQUEST
    api_keys = provide(SqlaApiKeyRepository, provides=ApiKeyRepository)


class MemoryAccessProvider(Provider):
    scope = Scope.REQUEST

    @provide
    def api_keys(self, transaction: InMemoryUnitOfWork) -> ApiKeyRepository:
        return InMemoryApiKeyRepository(transaction.store)
