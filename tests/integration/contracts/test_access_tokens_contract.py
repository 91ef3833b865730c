"""The ``AccessTokens`` contract, run on the in-memory tokens and on HS256 JWTs, plus the JWT's
own rules: only our algorithm, secret, issuer, audience and token type pass, and expiry follows
the given ``now``, never the wall clock."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from devforge.adapters.memory.security import InMemoryAccessTokens
from devforge.adapters.security.jwt_access_tokens import JwtAccessTokens
from devforge.domain.identity.errors import SessionInvalid
from devforge.domain.identity.roles import Role

Tokens = InMemoryAccessTokens | JwtAccessTokens
NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
SECRET = b"s" * 64  # long enough for the HS512 forgery below to be a fair one
USER, SESSION = uuid.uuid4(), uuid.uuid4()


def _make(name: str, ttl: timedelta = timedelta(minutes=15), secret: bytes = SECRET) -> Tokens:
    return InMemoryAccessTokens(ttl=ttl) if name == "memory" else JwtAccessTokens(secret, ttl=ttl)


@pytest.fixture(params=["memory", "jwt"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.mark.parametrize("role", list(Role))
def test_a_token_carries_who_which_session_and_role(kind: str, role: Role) -> None:
    tokens = _make(kind)
    issued = tokens.issue(user_id=USER, session_id=SESSION, role=role, now=NOW)
    claims = tokens.verify(issued.token, now=NOW)
    assert (claims.user_id, claims.session_id, claims.role) == (USER, SESSION, role)
    assert claims.expires_at == issued.expires_at == NOW + timedelta(minutes=15)


def test_the_lifetime_follows_the_configured_ttl(kind: str) -> None:
    issued = _make(kind, ttl=timedelta(minutes=5)).issue(user_id=USER, session_id=SESSION, role=Role.CUSTOMER, now=NOW)
    assert issued.expires_at == NOW + timedelta(minutes=5)


def test_a_token_is_valid_until_the_instant_it_expires(kind: str) -> None:
    tokens = _make(kind)
    issued = tokens.issue(user_id=USER, session_id=SESSION, role=Role.CUSTOMER, now=NOW)
    assert tokens.verify(issued.token, now=issued.expires_at - timedelta(seconds=1)).user_id == USER
    with pytest.raises(SessionInvalid):
        tokens.verify(issued.token, now=issued.expires_at)
    with pytest.raises(SessionInvalid):
        tokens.verify(issued.token, now=issued.expires_at + timedelta(days=1))


def test_each_issue_gives_a_distinct_token(kind: str) -> None:
    tokens = _make(kind)
    first, second = (tokens.issue(user_id=USER, session_id=SESSION, role=Role.CUSTOMER, now=NOW) for _ in range(2))
    assert first.token != second.token


@pytest.mark.parametrize("garbage", ["", "not-a-token", "a.b.c", "Bearer x"])
def test_garbage_is_not_a_token(kind: str, garbage: str) -> None:
    with pytest.raises(SessionInvalid, match="not valid"):
        _make(kind).verify(garbage, now=NOW)


def test_a_token_from_another_issuer_instance_is_refused(kind: str) -> None:
    issued = _make(kind).issue(user_id=USER, session_id=SESSION, role=Role.ADMIN, now=NOW)
    with pytest.raises(SessionInvalid):
        _make(kind, secret=b"o" * 64).verify(issued.token, now=NOW)


# JWT-only rules. ``_forge`` signs our own valid claims after a change, to isolate each check.


def _claims(**changes: Any) -> dict[str, Any]:
    claims = {
        "sub": str(USER),
        "sid": str(SESSION),
        "role": "customer",
        "typ": "access",
        "iss": "devforge",
        "aud": "devforge-api",
        "iat": int(NOW.timestamp()),
        "exp": int((NOW + timedelta(minutes=15)).timestamp()),
        "jti": "j1",
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _forge(claims: dict[str, Any], key: bytes | None = SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def test_jwt_accepts_our_own_forged_claims_so_the_refusals_below_mean_something() -> None:
    assert JwtAccessTokens(SECRET).verify(_forge(_claims()), now=NOW).role is Role.CUSTOMER


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(_forge(_claims(), key=None, algorithm="none"), id="alg none"),
        pytest.param(_forge(_claims(), algorithm="HS512"), id="another algorithm, our secret"),
        pytest.param(_forge(_claims(), key=b"x" * 64), id="another secret"),
        pytest.param(_forge(_claims(aud="devforge-admin")), id="another audience"),
        pytest.param(_forge(_claims(iss="someone-else")), id="another issuer"),
        pytest.param(_forge(_claims(typ="refresh")), id="a refresh token"),
        pytest.param(_forge(_claims(sub="not-a-uuid")), id="a malformed user id"),
        pytest.param(_forge(_claims(role="root")), id="an unknown role"),
        pytest.param(_forge(_claims(exp=str(int(NOW.timestamp()) + 900))), id="a textual expiry"),
        pytest.param(_forge(_claims(exp=int(NOW.timestamp()))), id="expired by now"),
    ],
)
def test_jwt_refuses(token: str) -> None:
    with pytest.raises(SessionInvalid, match=r"^The access token is not valid\.$"):
        JwtAccessTokens(SECRET).verify(token, now=NOW)


@pytest.mark.parametrize("missing", ["sub", "sid", "role", "typ", "iss", "aud", "iat", "exp", "jti"])
def test_jwt_refuses_a_token_missing_a_claim(missing: str) -> None:
    with pytest.raises(SessionInvalid):
        JwtAccessTokens(SECRET).verify(_forge(_claims(**{missing: None})), now=NOW)


def test_jwt_refuses_a_payload_changed_after_signing() -> None:
    tokens = JwtAccessTokens(SECRET)
    header, _, signature = tokens.issue(user_id=USER, session_id=SESSION, role=Role.CUSTOMER, now=NOW).token.split(".")
    admin_payload = _forge(_claims(role="admin")).split(".")[1]
    with pytest.raises(SessionInvalid):
        tokens.verify(f"{header}.{admin_payload}.{signature}", now=NOW)


@pytest.mark.parametrize("issued_at", [datetime(2001, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)])
def test_jwt_judges_time_by_the_given_now_not_the_wall_clock(issued_at: datetime) -> None:
    tokens = JwtAccessTokens(SECRET)
    issued = tokens.issue(user_id=USER, session_id=SESSION, role=Role.DEVELOPER, now=issued_at)
    assert tokens.verify(issued.token, now=issued_at + timedelta(minutes=1)).role is Role.DEVELOPER
    with pytest.raises(SessionInvalid):
        tokens.verify(issued.token, now=issued_at + timedelta(minutes=15))


def test_jwt_rounds_the_expiry_down_to_the_whole_second_it_signs() -> None:
    tokens = JwtAccessTokens(SECRET)
    issued = tokens.issue(user_id=USER, session_id=SESSION, role=Role.CUSTOMER, now=NOW + timedelta(microseconds=999))
    assert issued.expires_at == NOW + timedelta(minutes=15)
    with pytest.raises(SessionInvalid):
        tokens.verify(issued.token, now=issued.expires_at)


def test_jwt_tokens_are_hs256_access_tokens_with_a_unique_id() -> None:
    tokens = JwtAccessTokens(SECRET, issuer="df", audience="df-api")
    first, second = (
        tokens.issue(user_id=USER, session_id=SESSION, role=Role.CUSTOMER, now=NOW).token for _ in range(2)
    )
    claims = [jwt.decode(t, options={"verify_signature": False}) for t in (first, second)]
    assert jwt.get_unverified_header(first)["alg"] == "HS256"
    assert {(c["typ"], c["iss"], c["aud"], c["iat"]) for c in claims} == {
        ("access", "df", "df-api", int(NOW.timestamp()))
    }
    assert claims[0]["jti"] != claims[1]["jti"]


def test_jwt_refuses_a_secret_shorter_than_32_bytes() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        JwtAccessTokens(b"s" * 31)
