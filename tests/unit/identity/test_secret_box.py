"""The SecretBox contract, on AES-GCM and on the in-memory stand-in: values come back only under
the context they were sealed for, and never sit in plain."""

from __future__ import annotations

import pytest

from devforge.adapters.memory.two_factor import InMemorySecretBox
from devforge.adapters.security.aes_gcm_secret_box import AesGcmSecretBox
from devforge.application.identity.two_factor_ports import SecretBox

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture(params=["aes-gcm", "memory"])
def box(request: pytest.FixtureRequest) -> SecretBox:
    if request.param == "memory":
        return InMemorySecretBox()
    return AesGcmSecretBox(b"server-secret-of-enough-length-0123456789", b"totp")


def test_a_sealed_value_opens_under_its_context_only(box: SecretBox) -> None:
    sealed = box.seal(SECRET, context="user-1")
    assert SECRET not in sealed
    assert box.open(sealed, context="user-1") == SECRET
    with pytest.raises(ValueError, match="does not open"):
        box.open(sealed, context="user-2")


def test_aes_gcm_seals_differently_each_time_and_refuses_tampering_and_other_keys() -> None:
    box = AesGcmSecretBox(b"server-secret-of-enough-length-0123456789", b"totp")
    first, second = box.seal(SECRET, context="u"), box.seal(SECRET, context="u")
    assert first != second
    tampered = first[:-2] + ("A" if first[-2] != "A" else "B") + first[-1]
    with pytest.raises(ValueError, match="does not open"):
        box.open(tampered, context="u")
    with pytest.raises(ValueError, match="does not open"):
        AesGcmSecretBox(b"another-server-secret-0123456789abcdef", b"totp").open(first, context="u")
    with pytest.raises(ValueError, match="does not open"):
        AesGcmSecretBox(b"server-secret-of-enough-length-0123456789", b"other").open(first, context="u")
