from datetime import UTC, datetime
from uuid import uuid4

import pytest

from devforge.adapters.security.aes_gcm_secret_box import AesGcmSecretBox
from devforge.adapters.security.pyotp_totp_codes import PyotpTotpCodes
from devforge.application.identity.two_factor_check import TwoFactorCheck
from devforge.domain.identity.errors import TwoFactorSecretUnreadable
from devforge.domain.identity.two_factor import TwoFactor


def test_a_secret_sealed_under_an_old_server_key_is_a_clear_refusal_not_a_crash() -> None:
    before = TwoFactorCheck(PyotpTotpCodes(), AesGcmSecretBox(b"old-secret" * 4, b"totp"))
    after = TwoFactorCheck(PyotpTotpCodes(), AesGcmSecretBox(b"new-secret" * 4, b"totp"))
    user_id = uuid4()
    _, sealed = before.new_sealed_secret(str(user_id))
    enrolment = TwoFactor.enroll(user_id=user_id, sealed_secret=sealed, now=datetime(2026, 5, 1, tzinfo=UTC))
    with pytest.raises(TwoFactorSecretUnreadable) as refused:
        after.step(enrolment, "123456", datetime(2026, 5, 1, tzinfo=UTC))
    assert refused.value.field == "code"
