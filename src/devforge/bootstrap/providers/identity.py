"""The identity context: its use cases, its repositories (SQL or memory) and its security adapters."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from dishka import Provider, Scope, provide, provide_all

from devforge.adapters.memory.identity import (
    InMemoryIdentityReader,
    InMemorySessionRepository,
    InMemorySignedInReader,
    InMemoryUserRepository,
)
from devforge.adapters.memory.security import InMemoryAccessTokens, InMemoryPasswordHasher
from devforge.adapters.memory.store import MemoryStore
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.adapters.persistence.identity import SqlaSessionRepository, SqlaUserRepository
from devforge.adapters.persistence.identity_reads import SqlaIdentityReader, SqlaSignedInReader
from devforge.adapters.security.argon2_password_hasher import Argon2PasswordHasher
from devforge.adapters.security.hashing_pool import HashingPool
from devforge.adapters.security.jwt_access_tokens import JwtAccessTokens
from devforge.application.identity.account_lookup import AccountLookup
from devforge.application.identity.authenticate import Authenticate
from devforge.application.identity.get_current_user import GetCurrentUser
from devforge.application.identity.log_in import LogInHandler
from devforge.application.identity.log_out import LogOutHandler
from devforge.application.identity.opaque_tokens import OpaqueTokens
from devforge.application.identity.ports import (
    AccessTokens,
    IdentityReader,
    PasswordHasher,
    SessionRepository,
    SignedInReader,
    UserRepository,
)
from devforge.application.identity.refresh_session import RefreshSessionHandler
from devforge.application.identity.register_user import RegisterUserHandler
from devforge.application.identity.session_policy import SessionPolicy
from devforge.application.identity.signed_in import SignedIn
from devforge.bootstrap.settings import Settings
from devforge.bootstrap.settings.identity import IdentitySettings


class IdentityUseCasesProvider(Provider):
    scope = Scope.REQUEST
    use_cases = provide_all(
        RegisterUserHandler,
        LogInHandler,
        RefreshSessionHandler,
        LogOutHandler,
        GetCurrentUser,
        AccountLookup,
    )
    authenticate = provide(Authenticate, scope=Scope.APP)  # no request state: built once (auth.py)

    signed_in = provide(SignedIn, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def session_policy(self, identity: IdentitySettings) -> SessionPolicy:
        return SessionPolicy(lifetime=timedelta(days=identity.session_days))

    @provide(scope=Scope.APP)
    def opaque_tokens(self, settings: Settings) -> OpaqueTokens:
        return OpaqueTokens(settings.secret + b":opaque-tokens")


class IdentitySecurityProvider(Provider):
    """Argon2id and signed JWTs: what runs in both real profiles."""

    scope = Scope.APP

    @provide
    def password_hasher(self, identity: IdentitySettings) -> Iterator[PasswordHasher]:
        """Hashing runs on a pool of its own, closed with the container (queued hashes dropped)."""
        pool = HashingPool(identity.password_hashing_workers, max_waiting=identity.password_hashing_queue)
        try:
            yield Argon2PasswordHasher(
                time_cost=identity.argon2_time_cost,
                memory_cost_kib=identity.argon2_memory_kib,
                parallelism=identity.argon2_parallelism,
                pool=pool,
            )
        finally:
            pool.close()

    @provide
    def access_tokens(self, settings: Settings, identity: IdentitySettings) -> AccessTokens:
        ttl = timedelta(minutes=identity.access_token_minutes)
        return JwtAccessTokens(settings.secret + b":access-tokens", ttl=ttl)


class MemoryIdentitySecurityProvider(Provider):
    scope = Scope.APP

    @provide
    def password_hasher(self) -> PasswordHasher:
        return InMemoryPasswordHasher()

    @provide
    def access_tokens(self) -> AccessTokens:
        return InMemoryAccessTokens()


class SqlaIdentityProvider(Provider):
    scope = Scope.REQUEST
    users = provide(SqlaUserRepository, provides=UserRepository)
    sessions = provide(SqlaSessionRepository, provides=SessionRepository)
    signed_in_reader = provide(SqlaSignedInReader, provides=SignedInReader, scope=Scope.APP)
    reader = provide(SqlaIdentityReader, provides=IdentityReader, scope=Scope.APP)


class MemoryIdentityProvider(Provider):
    scope = Scope.REQUEST

    @provide
    def users(self, transaction: InMemoryUnitOfWork) -> UserRepository:
        return InMemoryUserRepository(transaction.store)

    @provide
    def sessions(self, transaction: InMemoryUnitOfWork) -> SessionRepository:
        return InMemorySessionRepository(transaction.store)

    @provide(scope=Scope.APP)
    def signed_in_reader(self, store: MemoryStore) -> SignedInReader:
        return InMemorySignedInReader(store)

    @provide(scope=Scope.APP)
    def reader(self, store: MemoryStore) -> IdentityReader:
        return InMemoryIdentityReader(store)
