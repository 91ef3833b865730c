"""API key rules: what a key may hold, how long it lives, and how its use is recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.application.identity.api_key_secrets import ApiKeySecrets
from devforge.bootstrap.permissions import ROLE_TABLE
from devforge.domain.identity.api_key import ApiKey
from devforge.domain.identity.errors import ApiKeyRejected
from devforge.domain.identity.events import ApiKeyCreated, ApiKeyRevoked
from devforge.domain.identity.roles import Role
from devforge.domain.marketplace.permissions import MarketplacePermission

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)
SECRETS = ApiKeySecrets(b"k" * 32)


def issue(**overrides: Any) -> ApiKey:
    secret = SECRETS.new()
    values: dict[str, Any] = {
        "key_id": uuid4(),
        "owner_id": uuid4(),
        "name": "CI publisher",
        "secret": secret,
        "digest": SECRETS.digest(secret),
        "scopes": ["extensions:publish"],
        "held": ROLE_TABLE.permissions_of(Role.DEVELOPER),
        "known": ROLE_TABLE.names,
        "lifetime_days": 90,
        "now": NOW,
    }
    return ApiKey.issue(**(values | overrides))


def test_a_key_is_recognisable_long_and_kept_only_as_digest_and_display_prefix() -> None:
    secret = SECRETS.new()
    assert secret.startswith("dfk_live_") and len(secret) - len("dfk_live_") >= 43  # 256 bits, base64url
    key = issue(secret=secret, digest=SECRETS.digest(secret))
    assert key.prefix == secret[:12] and secret not in (key.digest, key.prefix)
    assert key.digest == SECRETS.digest(secret) != ApiKeySecrets(b"other key").digest(secret)
    assert SECRETS.new() != SECRETS.new()
    assert key.expires_at == NOW + timedelta(days=90) and key.scopes == {MarketplacePermission.EXTENSIONS_PUBLISH.name}
    (event,) = key.pull_events()
    assert isinstance(event, ApiKeyCreated) and event.scopes == ("extensions:publish",)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"scopes": ["users:admin"]}, "scopes"),  # never grantable to a key
        ({"scopes": ["sessions:manage_own"]}, "scopes"),  # held, but not for machines
        ({"scopes": ["extensions:publish"], "held": ROLE_TABLE.permissions_of(Role.CUSTOMER)}, "scopes"),  # not held
        ({"scopes": ["root"]}, "scopes"),
        ({"scopes": []}, "scopes"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"lifetime_days": 0}, "expiresInDays"),
        ({"lifetime_days": 366}, "expiresInDays"),
    ],
)
def test_a_key_breaking_a_rule_is_refused_naming_the_field(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ApiKeyRejected) as refused:
        issue(**overrides)
    assert refused.value.field == field


@given(role=st.sampled_from(list(Role)), scopes=st.sets(st.sampled_from(sorted(ROLE_TABLE.names)), min_size=1))
def test_a_key_never_holds_more_than_its_owner(role: Role, scopes: set[str]) -> None:
    held = ROLE_TABLE.permissions_of(role)
    on_keys = {permission.name for permission in held if permission.on_api_keys}
    try:
        key = issue(scopes=sorted(scopes), held=held)
    except ApiKeyRejected:
        assert not scopes <= on_keys
    else:
        assert key.scopes <= on_keys


def test_use_is_recorded_at_most_once_a_minute() -> None:
    key = issue()
    assert key.mark_used(NOW) and key.last_used_at == NOW
    assert not key.mark_used(NOW + timedelta(seconds=59)) and key.last_used_at == NOW
    assert key.mark_used(NOW + timedelta(seconds=60)) and key.last_used_at == NOW + timedelta(seconds=60)


def test_a_key_stops_working_when_it_expires_or_is_revoked_for_good() -> None:
    key = issue(lifetime_days=1)
    assert key.is_usable(NOW + timedelta(hours=23))
    assert not key.is_usable(NOW + timedelta(days=1))
    key.pull_events()
    key.revoke(NOW + timedelta(minutes=5))
    key.revoke(NOW + timedelta(minutes=9))
    assert key.revoked_at == NOW + timedelta(minutes=5) and not key.is_usable(NOW + timedelta(minutes=6))
    assert [type(e) for e in key.pull_events()] == [ApiKeyRevoked]
