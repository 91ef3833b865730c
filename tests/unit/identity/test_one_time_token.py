"""The rules of verification and reset tokens, on the aggregate alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.domain.identity.errors import TokenAlreadyUsed, TokenExpired, TokenInvalid, TokenSuperseded
from devforge.domain.identity.one_time_token import OneTimeToken, TokenPurpose

NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
VERIFY, RESET = TokenPurpose.VERIFY_EMAIL, TokenPurpose.RESET_PASSWORD


def issued(purpose: TokenPurpose = RESET) -> OneTimeToken:
    return OneTimeToken.issue(token_id=uuid4(), user_id=uuid4(), purpose=purpose, digest="d", issued_at=NOW)


def test_a_verification_token_lives_24_hours_and_a_reset_token_1_hour() -> None:
    assert issued(VERIFY).expires_at == NOW + timedelta(hours=24)
    assert issued(RESET).expires_at == NOW + timedelta(hours=1)


@given(purpose=st.sampled_from(TokenPurpose), seconds=st.integers(min_value=0, max_value=2 * 24 * 3600))
def test_a_token_redeems_exactly_while_its_lifetime_runs(purpose: TokenPurpose, seconds: int) -> None:
    token, at = issued(purpose), NOW + timedelta(seconds=seconds)
    if at < NOW + purpose.lifetime:
        token.redeem(purpose=purpose, now=at)
        assert token.used_at == at
    else:
        with pytest.raises(TokenExpired):
            token.redeem(purpose=purpose, now=at)
        assert token.used_at is None


def test_a_token_works_once() -> None:
    token = issued()
    token.redeem(purpose=RESET, now=NOW)
    with pytest.raises(TokenAlreadyUsed):
        token.redeem(purpose=RESET, now=NOW + timedelta(seconds=1))


def test_a_token_works_only_for_its_purpose() -> None:
    token = issued(VERIFY)
    with pytest.raises(TokenInvalid) as refused:
        token.redeem(purpose=RESET, now=NOW)
    assert refused.value.field == "token"
    assert token.used_at is None


def test_a_superseded_token_no_longer_works_and_a_used_one_stays_used() -> None:
    older, used = issued(), issued()
    used.redeem(purpose=RESET, now=NOW)
    older.supersede(NOW)
    used.supersede(NOW)
    with pytest.raises(TokenSuperseded):
        older.redeem(purpose=RESET, now=NOW)
    assert (used.used_at, used.superseded_at) == (NOW, None)
    assert not older.is_live(NOW) and not used.is_live(NOW)


def test_a_reset_token_dies_once_the_password_changes_after_it_was_issued() -> None:
    with pytest.raises(TokenSuperseded):
        issued().redeem(purpose=RESET, now=NOW + timedelta(minutes=5), password_changed_at=NOW + timedelta(minutes=1))
    changed_before = issued()
    changed_before.redeem(purpose=RESET, now=NOW, password_changed_at=NOW - timedelta(days=1))
    assert changed_before.used_at == NOW


def test_a_password_change_does_not_touch_a_verification_token() -> None:
    token = issued(VERIFY)
    token.redeem(purpose=VERIFY, now=NOW + timedelta(hours=2), password_changed_at=NOW + timedelta(hours=1))
    assert token.used_at is not None
