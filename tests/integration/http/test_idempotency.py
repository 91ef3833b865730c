"""``Idempotency-Key`` on POST: same key, same answer; same key with another body, 422."""

from __future__ import annotations

from dishka import Provider, Scope, provide
from litestar.testing import AsyncTestClient

from devforge.adapters.memory.identity import InMemoryUserRepository
from devforge.adapters.memory.store import MemoryStore
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.application.common.cache import Cache
from devforge.application.common.idempotency import Begin, BeginOutcome, IdempotencyStore
from devforge.application.identity.ports import UserRepository
from devforge.domain.identity.user import User
from tests.integration.http.conftest import build_client
from tests.integration.http.test_problems import assert_problem

PASSWORD = "correct horse battery staple"


def account(email: str = "ada@example.com") -> dict[str, str]:
    return {"email": email, "password": PASSWORD}


async def register(client: AsyncTestClient, key: str, body: dict[str, str], **headers: str) -> object:
    return await client.post("/api/auth/register", json=body, headers={"Idempotency-Key": key, **headers})


async def test_a_retried_sign_up_creates_one_account_and_answers_the_same(client: AsyncTestClient) -> None:
    first = await register(client, "signup-1", account())
    again = await register(client, "signup-1", account())
    assert first.status_code == again.status_code == 201  # type: ignore[attr-defined]
    assert first.content == again.content  # type: ignore[attr-defined]
    assert again.headers["idempotent-replayed"] == "true"  # type: ignore[attr-defined]
    assert "idempotent-replayed" not in first.headers  # type: ignore[attr-defined]
    without_key = await client.post("/api/auth/register", json=account())
    assert_problem(without_key, 409)  # the one account exists; no second one was made


async def test_the_same_key_with_another_body_is_422(client: AsyncTestClient) -> None:
    await register(client, "signup-2", account())
    body = assert_problem(await register(client, "signup-2", account("grace@example.com")), 422)
    assert body["code"] == "idempotency_key_reused"
    assert body["errors"][0]["field"] == "Idempotency-Key"  # type: ignore[index]


async def test_keys_are_scoped_per_caller(client: AsyncTestClient) -> None:
    ada = await register(client, "shared", account(), Authorization="Bearer token-of-ada")
    grace = await register(client, "shared", account("grace@example.com"), Authorization="Bearer token-of-grace")
    assert ada.status_code == grace.status_code == 201  # type: ignore[attr-defined]
    assert "idempotent-replayed" not in grace.headers  # type: ignore[attr-defined]


async def test_a_malformed_key_is_400_naming_the_header(client: AsyncTestClient) -> None:
    for bad in ("", "k" * 256):
        body = assert_problem(await register(client, bad, account()), 400)
        assert body["errors"][0]["field"] == "Idempotency-Key"  # type: ignore[index]
    assert (await register(client, "k" * 255, account())).status_code == 201  # type: ignore[attr-defined]


async def test_without_the_header_or_on_other_methods_nothing_changes(client: AsyncTestClient) -> None:
    assert (await client.post("/api/auth/register", json=account())).status_code == 201
    assert_problem(await client.post("/api/auth/register", json=account()), 409)
    live = await client.get("/health/live", headers={"Idempotency-Key": "k"})
    assert live.status_code == 200 and "idempotent-replayed" not in live.headers


async def test_a_body_over_the_limit_is_still_413() -> None:
    test_client, _, _ = build_client(max_body_bytes=1024)
    async with test_client as client:
        assert_problem(await register(client, "big", {"email": "a@b.co", "password": "x" * 5000}), 413)


class FlakyUsers(InMemoryUserRepository):
    """The first ``add`` fails as if the database dropped the connection; later ones work."""

    def __init__(self, store: MemoryStore, failures: list[int]) -> None:
        super().__init__(store)
        self._failures = failures

    async def add(self, user: User) -> None:
        if self._failures[0]:
            self._failures[0] -= 1
            raise RuntimeError("connection reset by peer")
        await super().add(user)


class FailOnceProvider(Provider):
    def __init__(self) -> None:
        super().__init__()
        self.failures = [1]

    @provide(scope=Scope.REQUEST)
    def users(self, transaction: InMemoryUnitOfWork) -> UserRepository:
        return FlakyUsers(transaction.store, self.failures)


async def test_a_post_that_failed_with_a_5xx_can_be_retried_with_the_same_key() -> None:
    test_client, _, _ = build_client(FailOnceProvider())
    async with test_client as client:
        assert_problem(await register(client, "retry-me", account()), 500)
        retried = await register(client, "retry-me", account())
        assert retried.status_code == 201  # type: ignore[attr-defined]
        assert "idempotent-replayed" not in retried.headers  # type: ignore[attr-defined]
        replayed = await register(client, "retry-me", account())
        assert replayed.headers["idempotent-replayed"] == "true"  # type: ignore[attr-defined]
        assert replayed.content == retried.content  # type: ignore[attr-defined]


class BusyStore:
    """Another request holds every key."""

    async def begin(self, *_: object) -> Begin:
        return Begin(BeginOutcome.IN_PROGRESS)

    async def finish(self, *_: object) -> None: ...

    async def abandon(self, *_: object) -> None: ...


async def test_a_retry_while_the_first_attempt_runs_is_409_with_retry_after() -> None:
    busy = Provider(scope=Scope.APP)
    busy.provide(BusyStore, provides=IdempotencyStore)
    test_client, _, _ = build_client(busy)
    async with test_client as client:
        response = await register(client, "running", account())
        assert_problem(response, 409)
        assert response.headers["retry-after"] == "1"  # type: ignore[attr-defined]
        assert response.json()["code"] == "idempotency_key_in_use"  # type: ignore[attr-defined]


async def test_answers_carrying_credentials_are_never_kept_so_a_retry_runs_again() -> None:
    test_client, container, _ = build_client()
    async with test_client as client:
        await client.post("/api/auth/register", json=account())
        headers = {"Idempotency-Key": "login-1"}
        first = await client.post("/api/auth/login", json=account(), headers=headers)
        second = await client.post("/api/auth/login", json=account(), headers=headers)
        assert first.status_code == second.status_code == 200
        assert "idempotent-replayed" not in second.headers
        assert first.json()["refreshToken"] != second.json()["refreshToken"]
        cache = await container.get(Cache)
        kept = b"".join(value for value, _ in cache._entries.values())  # type: ignore[attr-defined]
        assert first.json()["refreshToken"].encode() not in kept
