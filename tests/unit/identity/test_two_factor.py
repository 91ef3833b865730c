"""Two-factor rules: a step's code works once and never an older step; recovery codes work
once; turning it off needs a fresh code. And the TOTP adapter's window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pyotp
import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.adapters.security.pyotp_totp_codes import PyotpTotpCodes
from devforge.domain.identity.errors import TwoFactorAlreadyEnabled, TwoFactorCodeInvalid, TwoFactorNotEnrolled
from devforge.domain.identity.events import TwoFactorDisabled, TwoFactorEnabled
from devforge.domain.identity.two_factor import TwoFactor

NOW = datetime(2026, 5, 1, 12, 0, 0, tzinfo=UTC)
DIGESTS = [f"digest-{n}" for n in range(10)]


def enabled(step: int = 100) -> TwoFactor:
    two_factor = TwoFactor.enroll(user_id=uuid4(), sealed_secret="sealed", now=NOW)
    two_factor.confirm(step=step, recovery_digests=DIGESTS, now=NOW)
    return two_factor


def test_confirming_turns_it_on_once_and_says_so() -> None:
    two_factor = enabled()
    assert two_factor.enabled and two_factor.recovery_codes_left == 10
    [event] = two_factor.pull_events()
    assert isinstance(event, TwoFactorEnabled) and event.user_id == two_factor.user_id
    with pytest.raises(TwoFactorAlreadyEnabled):
        two_factor.confirm(step=101, recovery_digests=DIGESTS, now=NOW)
    with pytest.raises(TwoFactorAlreadyEnabled):
        two_factor.reenroll(sealed_secret="other", now=NOW)


def test_a_wrong_code_does_not_confirm() -> None:
    two_factor = TwoFactor.enroll(user_id=uuid4(), sealed_secret="sealed", now=NOW)
    with pytest.raises(TwoFactorCodeInvalid) as refused:
        two_factor.confirm(step=None, recovery_digests=DIGESTS, now=NOW)
    assert refused.value.field == "code"
    assert not two_factor.enabled and two_factor.pull_events() == []


def test_a_steps_code_works_once_and_older_steps_never() -> None:
    two_factor = enabled(step=100)
    with pytest.raises(TwoFactorCodeInvalid):
        two_factor.verify(100)  # the confirming code, replayed
    two_factor.verify(101)
    with pytest.raises(TwoFactorCodeInvalid):
        two_factor.verify(101)
    with pytest.raises(TwoFactorCodeInvalid):
        two_factor.verify(100)
    two_factor.verify(102)
    assert two_factor.last_used_step == 102


@given(st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=50)), max_size=40))
def test_accepted_steps_strictly_increase_whatever_is_presented(presented: list[int | None]) -> None:
    two_factor = TwoFactor.enroll(user_id=uuid4(), sealed_secret="s", now=NOW)
    two_factor.confirmed_at = NOW
    accepted = []
    for step in presented:
        try:
            two_factor.verify(step)
        except TwoFactorCodeInvalid:
            continue
        accepted.append(step)
    assert accepted == sorted(set(accepted))
    assert len(accepted) == len(set(accepted))
    if accepted:
        assert two_factor.last_used_step == accepted[-1]


def test_each_recovery_code_works_once() -> None:
    two_factor = enabled()
    two_factor.use_recovery_code("digest-3", NOW)
    assert two_factor.recovery_codes_left == 9
    with pytest.raises(TwoFactorCodeInvalid) as reused:
        two_factor.use_recovery_code("digest-3", NOW)
    assert reused.value.field == "recoveryCode"
    with pytest.raises(TwoFactorCodeInvalid):
        two_factor.use_recovery_code("never-issued", NOW)
    two_factor.use_recovery_code("digest-4", NOW)
    assert two_factor.recovery_codes_left == 8


def test_turning_off_needs_a_fresh_code() -> None:
    two_factor = enabled(step=100)
    two_factor.pull_events()
    with pytest.raises(TwoFactorCodeInvalid):
        two_factor.disable(step=100, now=NOW)
    assert two_factor.enabled
    two_factor.disable(step=101, now=NOW)
    assert not two_factor.enabled
    assert [type(e) for e in two_factor.pull_events()] == [TwoFactorDisabled]
    with pytest.raises(TwoFactorNotEnrolled):
        two_factor.disable(step=102, now=NOW)


def test_a_pending_enrolment_is_not_a_second_factor() -> None:
    two_factor = TwoFactor.enroll(user_id=uuid4(), sealed_secret="s", now=NOW)
    with pytest.raises(TwoFactorNotEnrolled):
        two_factor.verify(5)
    with pytest.raises(TwoFactorNotEnrolled):
        two_factor.use_recovery_code("digest-0", NOW)


def test_totp_accepts_one_step_of_drift_either_way_and_names_the_step() -> None:
    codes = PyotpTotpCodes()
    secret = codes.new_secret()
    totp = pyotp.TOTP(secret)
    step = totp.timecode(NOW)
    for drift, expected in ((-30, step - 1), (0, step), (30, step + 1)):
        assert codes.matching_step(secret, totp.at(NOW + timedelta(seconds=drift)), now=NOW) == expected
    for drift in (-60, 60, 90):
        assert codes.matching_step(secret, totp.at(NOW + timedelta(seconds=drift)), now=NOW) is None
    assert codes.matching_step(secret, "12345", now=NOW) is None
    assert codes.matching_step(secret, "abcdef", now=NOW) is None


def test_the_provisioning_uri_names_the_issuer_and_the_account() -> None:
    codes = PyotpTotpCodes()
    secret = codes.new_secret()
    uri = codes.provisioning_uri(secret, account="ada@example.com", issuer="Dev Forge")
    assert uri.startswith("otpauth://totp/Dev%20Forge:ada%40example.com?")
    assert f"secret={secret}" in uri and "issuer=Dev%20Forge" in uri
    assert len(secret) == 32
