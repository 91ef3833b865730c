"""License files checked out per machine, checked offline by the reference verifier."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devforge.adapters.security.aes_gcm_license_file_cipher import AesGcmLicenseFileCipher
from devforge.adapters.security.ed25519_license_signer import Ed25519LicenseSigner
from devforge.application.licensing.offline_files import LICENSE_FILE_TITLE, OfflineLicenses
from devforge.application.licensing.signing import PublicSigningKey
from devforge.client.license_verifier import LicenseInvalid, verify_license_file
from devforge.domain.licensing.errors import (
    LicenseExpired,
    LicenseFileTtlInvalid,
    LicenseRevoked,
    LicenseSuspended,
    MachineNotFound,
)
from devforge.domain.licensing.license import License
from devforge.domain.licensing.license_file import PLAIN, LicenseFile, armored, signing_input
from devforge.domain.licensing.license_key import LicenseKey
from devforge.domain.licensing.policy import ExpirationStrategy
from devforge.domain.licensing.signed_format import b64url, canonical_json
from tests.unit.licensing.builders import NOW, activated, issued, policy
from tests.unit.licensing.offline_world import DAY, FINGERPRINT, active_license, envelope, offline, published, rearmored


def test_a_valid_file_verifies_and_says_what_the_license_grants() -> None:
    service, signer = offline()
    license = active_license()
    text = service.license_file(license, fingerprint=FINGERPRINT, now=NOW, ttl=7 * DAY)

    payload = verify_license_file(text, public_keys=published(signer), fingerprint=FINGERPRINT, now=NOW + DAY)

    assert payload["license"]["id"] == str(license.id)
    assert payload["license"]["entitlements"] == ["pro-themes"]
    assert payload["machine"]["fingerprint"] == FINGERPRINT
    assert payload["kid"] == signer.active_key_id()
    assert payload["expires_at"] == "2026-05-08T12:00:00Z"


def test_a_flipped_byte_is_rejected() -> None:
    service, signer = offline()
    text = service.license_file(active_license(), fingerprint=FINGERPRINT, now=NOW)
    outer = envelope(text)
    data = bytearray(base64.urlsafe_b64decode(outer["enc"] + "=="))
    data[data.index(b"pro-themes")] ^= 0x01  # "pro-themes" -> "qro-themes"
    outer["enc"] = base64.urlsafe_b64encode(bytes(data)).rstrip(b"=").decode()

    with pytest.raises(LicenseInvalid, match="bad signature"):
        verify_license_file(rearmored(text, outer), public_keys=published(signer), fingerprint=FINGERPRINT, now=NOW)


@pytest.mark.parametrize("position", [40, 100, 160, 220])
def test_a_flipped_character_anywhere_in_the_armored_text_is_rejected(position: int) -> None:
    service, signer = offline()
    text = service.license_file(active_license(), fingerprint=FINGERPRINT, now=NOW)
    flipped = text[:position] + ("A" if text[position] != "A" else "B") + text[position + 1 :]

    with pytest.raises(LicenseInvalid):
        verify_license_file(flipped, public_keys=published(signer), fingerprint=FINGERPRINT, now=NOW)


def test_a_file_for_another_machine_is_rejected() -> None:
    service, signer = offline()
    text = service.license_file(active_license(), fingerprint=FINGERPRINT, now=NOW)

    with pytest.raises(LicenseInvalid, match="wrong fingerprint"):
        verify_license_file(text, public_keys=published(signer), fingerprint="another-machine", now=NOW)


def test_a_file_past_its_ttl_is_rejected() -> None:
    service, signer = offline()
    text = service.license_file(active_license(), fingerprint=FINGERPRINT, now=NOW, ttl=DAY)

    last_second = NOW + DAY - timedelta(seconds=1)
    verify_license_file(text, public_keys=published(signer), fingerprint=FINGERPRINT, now=last_second)
    with pytest.raises(LicenseInvalid, match="time to live"):
        verify_license_file(text, public_keys=published(signer), fingerprint=FINGERPRINT, now=NOW + DAY)


def test_a_clock_set_before_issued_at_is_rejected_beyond_a_small_skew() -> None:
    service, signer = offline()
    text = service.license_file(active_license(), fingerprint=FINGERPRINT, now=NOW)

    verify_license_file(text, public_keys=published(signer), fingerprint=FINGERPRINT, now=NOW - timedelta(minutes=4))
    with pytest.raises(LicenseInvalid, match="clock"):
        verify_license_file(text, public_keys=published(signer), fingerprint=FINGERPRINT, now=NOW - timedelta(hours=1))


def test_a_file_signed_by_a_rotated_out_key_is_rejected() -> None:
    service, signer = offline()
    old_key = signer.active_key_id()
    text = service.license_file(active_license(), fingerprint=FINGERPRINT, now=NOW)
    signer.rotate()
    signer.remove(old_key)

    with pytest.raises(LicenseInvalid, match="rotated-out"):
        verify_license_file(text, public_keys=published(signer), fingerprint=FINGERPRINT, now=NOW)


def test_a_retired_key_still_published_keeps_its_files_valid_and_new_files_use_the_new_key() -> None:
    service, signer = offline()
    license = active_license()
    old_file = service.license_file(license, fingerprint=FINGERPRINT, now=NOW)
    new_key = signer.rotate()
    new_file = service.license_file(license, fingerprint=FINGERPRINT, now=NOW)

    keys = published(signer)
    assert verify_license_file(old_file, public_keys=keys, fingerprint=FINGERPRINT, now=NOW)["kid"] != new_key
    assert verify_license_file(new_file, public_keys=keys, fingerprint=FINGERPRINT, now=NOW)["kid"] == new_key


def test_a_file_of_a_license_on_the_signed_revocation_list_is_rejected() -> None:
    service, signer = offline()
    license, other = active_license(), active_license()
    text = service.license_file(license, fingerprint=FINGERPRINT, now=NOW)
    keys = published(signer)

    clean = service.revocation_list([other.id], now=NOW)
    verify_license_file(text, public_keys=keys, fingerprint=FINGERPRINT, now=NOW, revocation_list=clean)
    revoked = service.revocation_list([other.id, license.id], now=NOW + DAY)
    with pytest.raises(LicenseInvalid, match="revoked"):
        verify_license_file(text, public_keys=keys, fingerprint=FINGERPRINT, now=NOW + DAY, revocation_list=revoked)


def test_a_suspended_licenses_old_file_stops_verifying_with_the_next_list_and_verifies_again_once_reinstated() -> None:
    service, signer = offline()
    license = active_license()
    text = service.license_file(license, fingerprint=FINGERPRINT, now=NOW)
    keys = published(signer)

    license.suspend("unpaid", NOW + DAY)
    suspended = service.revocation_list([], suspended=[license.id], now=NOW + DAY)
    with pytest.raises(LicenseInvalid, match="the license is suspended"):
        verify_license_file(text, public_keys=keys, fingerprint=FINGERPRINT, now=NOW + DAY, revocation_list=suspended)
    reinstated = service.revocation_list([], now=NOW + 2 * DAY)
    verify_license_file(text, public_keys=keys, fingerprint=FINGERPRINT, now=NOW + 2 * DAY, revocation_list=reinstated)


def expiring_license(strategy: ExpirationStrategy, term: timedelta = 10 * DAY) -> License:
    license = issued(policy(floating=True, max_machines=5, duration=term, expiration_strategy=strategy))
    return activated(license, FINGERPRINT, now=NOW)


def test_a_file_never_outlives_a_license_that_stops_validating_at_its_expiry() -> None:
    service, signer = offline()
    license = expiring_license(ExpirationStrategy.RESTRICT_ACCESS)
    assert license.expires_at == NOW + 10 * DAY
    text = service.license_file(license, fingerprint=FINGERPRINT, now=NOW, ttl=30 * DAY)
    keys = published(signer)

    payload = verify_license_file(
        text, public_keys=keys, fingerprint=FINGERPRINT, now=NOW + 10 * DAY - timedelta(seconds=1)
    )
    assert payload["expires_at"] == payload["license"]["expires_at"] == "2026-05-11T12:00:00Z"
    with pytest.raises(LicenseInvalid):
        verify_license_file(text, public_keys=keys, fingerprint=FINGERPRINT, now=NOW + 10 * DAY)
    with pytest.raises(LicenseExpired):
        service.license_file(license, fingerprint=FINGERPRINT, now=NOW + 10 * DAY)


def file_checked_out_before_the_cut(signer: Ed25519LicenseSigner, license: License, ttl: timedelta) -> str:
    """A file as the server signed them before files were cut at the license's expiry: the TTL
    runs past it, and the payload names no expiration strategy."""
    file = LicenseFile.check_out(license, fingerprint=FINGERPRINT, now=NOW, ttl=timedelta(hours=1), key_id="")
    payload = json.loads(replace(file, ttl=ttl, key_id=signer.active_key_id()).to_json())
    del payload["license"]["expiration_strategy"]
    content = canonical_json(payload)
    key_id, signature = signer.sign(signing_input("license", PLAIN, b64url(content)))
    return armored(LICENSE_FILE_TITLE, alg=PLAIN, enc=content, key_id=key_id, signature=signature)


def test_the_verifier_refuses_a_file_past_the_expiry_of_the_license_it_carries() -> None:
    _, signer = offline()
    license = expiring_license(ExpirationStrategy.RESTRICT_ACCESS)
    text = file_checked_out_before_the_cut(signer, license, ttl=30 * DAY)
    keys = published(signer)

    payload = verify_license_file(text, public_keys=keys, fingerprint=FINGERPRINT, now=NOW + 9 * DAY)
    assert (payload["expires_at"], payload["license"]["expires_at"]) == ("2026-05-31T12:00:00Z", "2026-05-11T12:00:00Z")
    with pytest.raises(LicenseInvalid, match="the license inside the file has expired"):
        verify_license_file(text, public_keys=keys, fingerprint=FINGERPRINT, now=NOW + 11 * DAY)


def test_a_license_that_keeps_access_after_expiry_keeps_its_files_for_their_ttl() -> None:
    service, signer = offline()
    license = expiring_license(ExpirationStrategy.MAINTAIN_ACCESS)
    text = service.license_file(license, fingerprint=FINGERPRINT, now=NOW, ttl=30 * DAY)

    payload = verify_license_file(text, public_keys=published(signer), fingerprint=FINGERPRINT, now=NOW + 20 * DAY)
    assert payload["expires_at"] == "2026-05-31T12:00:00Z"
    assert payload["license"]["expiration_strategy"] == "MAINTAIN_ACCESS"


def test_an_encrypted_file_opens_only_with_the_right_key_and_fingerprint() -> None:
    service, signer = offline()
    license, key = active_license(FINGERPRINT, "second-machine"), LicenseKey.generate()
    text = service.license_file(license, fingerprint=FINGERPRINT, now=NOW, encrypt_for=key)
    keys = published(signer)

    assert "pro-themes" not in base64.urlsafe_b64decode(envelope(text)["enc"] + "==").decode("latin-1")
    typed = str(key).lower().replace("-", " ")  # however the customer typed it
    payload = verify_license_file(text, public_keys=keys, fingerprint=FINGERPRINT, now=NOW, license_key=typed)
    assert payload["license"]["id"] == str(license.id)
    another_key = str(LicenseKey.generate())
    with pytest.raises(LicenseInvalid, match="does not open"):
        verify_license_file(text, public_keys=keys, fingerprint=FINGERPRINT, now=NOW, license_key=another_key)
    with pytest.raises(LicenseInvalid, match="does not open"):
        verify_license_file(text, public_keys=keys, fingerprint="second-machine", now=NOW, license_key=str(key))
    with pytest.raises(LicenseInvalid, match="license key is needed"):
        verify_license_file(text, public_keys=keys, fingerprint=FINGERPRINT, now=NOW)


def test_revoked_and_suspended_licenses_get_no_new_file() -> None:
    service, _ = offline()
    revoked, suspended = active_license(), active_license()
    revoked.revoke("chargeback", NOW)
    suspended.suspend("unpaid", NOW)

    with pytest.raises(LicenseRevoked):
        service.license_file(revoked, fingerprint=FINGERPRINT, now=NOW)
    with pytest.raises(LicenseSuspended):
        service.license_file(suspended, fingerprint=FINGERPRINT, now=NOW)


def test_files_go_only_to_active_machines_and_live_an_hour_to_a_year() -> None:
    service, _ = offline()
    license = active_license()

    with pytest.raises(MachineNotFound):
        service.license_file(license, fingerprint="never-activated", now=NOW)
    with pytest.raises(LicenseFileTtlInvalid):
        service.license_file(license, fingerprint=FINGERPRINT, now=NOW, ttl=timedelta(minutes=59))
    with pytest.raises(LicenseFileTtlInvalid):
        service.license_file(license, fingerprint=FINGERPRINT, now=NOW, ttl=timedelta(days=367))


def test_the_signed_payload_is_canonical_json() -> None:
    service, _ = offline()
    text = service.license_file(active_license(), fingerprint=FINGERPRINT, now=NOW)
    data = base64.urlsafe_b64decode(envelope(text)["enc"] + "==")

    assert data == json.dumps(json.loads(data), sort_keys=True, separators=(",", ":")).encode()


@settings(max_examples=40, deadline=None)
@given(position=st.integers(min_value=0), bit=st.integers(min_value=0, max_value=7))
def test_any_single_bit_flip_in_the_signed_content_is_rejected(position: int, bit: int) -> None:
    text = _SIGNED_FILE
    outer = envelope(text)
    data = bytearray(base64.urlsafe_b64decode(outer["enc"] + "=="))
    data[position % len(data)] ^= 1 << bit
    outer["enc"] = base64.urlsafe_b64encode(bytes(data)).rstrip(b"=").decode()

    with pytest.raises(LicenseInvalid, match="bad signature"):
        verify_license_file(rearmored(text, outer), public_keys=_KEYS, fingerprint=FINGERPRINT, now=NOW)


class _RotatesWhileSigning:
    """A ring rotated by an operator between reading the active key id and signing."""

    def __init__(self, ring: Ed25519LicenseSigner) -> None:
        self.ring, self.rotated = ring, False

    def active_key_id(self) -> str:
        return self.ring.active_key_id()

    def sign(self, message: bytes) -> tuple[str, bytes]:
        if not self.rotated:
            self.rotated = True
            self.ring.rotate()
        return self.ring.sign(message)

    def public_keys(self) -> list[PublicSigningKey]:
        return self.ring.public_keys()


def test_a_rotation_during_signing_signs_again_with_the_new_key() -> None:
    ring = Ed25519LicenseSigner.generate()
    service = OfflineLicenses(_RotatesWhileSigning(ring), AesGcmLicenseFileCipher())
    text = service.license_file(active_license(), fingerprint=FINGERPRINT, now=NOW)

    payload = verify_license_file(text, public_keys=published(ring), fingerprint=FINGERPRINT, now=NOW)

    assert payload["kid"] == ring.active_key_id()


_service, _signer = offline()
_SIGNED_FILE = _service.license_file(active_license(), fingerprint=FINGERPRINT, now=NOW)
_KEYS = published(_signer)
