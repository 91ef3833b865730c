"""Signed license keys, signed validation answers and the signed revocation list."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest

from devforge.client.license_verifier import (
    LicenseInvalid,
    verify_response,
    verify_revocation_list,
    verify_signed_key,
)
from tests.unit.licensing.builders import NOW
from tests.unit.licensing.offline_world import active_license, envelope, offline, published, rearmored

BODY = b'{"valid":true,"code":"VALID","nonce":"n-1"}'


def test_a_signed_key_round_trips_what_the_license_grants() -> None:
    service, signer = offline()
    license = active_license()
    key = service.signed_key(license, now=NOW)

    payload = verify_signed_key(key, public_keys=published(signer))

    assert key.startswith("key/")
    assert payload["license_id"] == str(license.id)
    assert payload["product_id"] == str(license.product_id)
    assert payload["entitlements"] == ["pro-themes"]
    assert payload["issued_at"] == "2026-05-01T12:00:00Z"
    assert payload["kid"] == signer.active_key_id()


def test_a_tampered_signed_key_is_rejected() -> None:
    service, signer = offline()
    key = service.signed_key(active_license(), now=NOW)
    data, signature = key.removeprefix("key/").split(".")
    granted = json.loads(base64.urlsafe_b64decode(data + "=="))
    granted["entitlements"].append("ai-assist")
    forged = base64.urlsafe_b64encode(json.dumps(granted).encode()).rstrip(b"=").decode()

    with pytest.raises(LicenseInvalid, match="bad signature"):
        verify_signed_key(f"key/{forged}.{signature}", public_keys=published(signer))
    with pytest.raises(LicenseInvalid, match="bad signature"):
        verify_signed_key(key[:-3] + ("AAA" if not key.endswith("AAA") else "BBB"), public_keys=published(signer))
    with pytest.raises(LicenseInvalid, match="not a signed license key"):
        verify_signed_key("DF-K7Q00-00000-00000-00000-00000-00000", public_keys=published(signer))


def test_a_signed_key_from_another_server_is_rejected() -> None:
    service, _ = offline()
    _, other_signer = offline()

    with pytest.raises(LicenseInvalid, match="unknown"):
        verify_signed_key(service.signed_key(active_license(), now=NOW), public_keys=published(other_signer))


def test_a_validation_answer_verifies_with_the_public_key_and_the_clients_nonce() -> None:
    service, signer = offline()
    header = service.response_signature(BODY, now=NOW, nonce="n-1")

    verify_response(BODY, header, nonce="n-1", public_keys=published(signer), now=NOW + timedelta(seconds=2))


@pytest.mark.parametrize(
    ("body", "nonce", "edit"),
    [
        (BODY, "n-2", lambda header: header),  # replayed to a client that sent another nonce
        (BODY.replace(b"true", b"fals"), "n-1", lambda header: header),  # edited answer
        (BODY, "n-1", lambda header: header.replace("ts=", "ts=1")),  # edited timestamp
    ],
)
def test_a_validation_answer_fails_with_another_nonce_body_or_timestamp(body: bytes, nonce: str, edit: object) -> None:
    service, signer = offline()
    header = service.response_signature(BODY, now=NOW, nonce="n-1")

    with pytest.raises(LicenseInvalid, match="bad signature"):
        verify_response(body, edit(header), nonce=nonce, public_keys=published(signer), now=NOW)  # type: ignore[operator]


def test_a_stale_validation_answer_is_rejected() -> None:
    service, signer = offline()
    header = service.response_signature(BODY, now=NOW, nonce="n-1")

    with pytest.raises(LicenseInvalid, match="stale"):
        verify_response(BODY, header, nonce="n-1", public_keys=published(signer), now=NOW + timedelta(hours=1))


def test_the_revocation_list_is_signed_and_tampering_is_rejected() -> None:
    service, signer = offline()
    license = active_license()
    text = service.revocation_list([license.id], now=NOW)
    assert verify_revocation_list(text, public_keys=published(signer)) == {str(license.id)}

    outer = envelope(text)
    emptied = json.loads(base64.urlsafe_b64decode(outer["enc"] + "=="))
    emptied["revoked"] = []
    outer["enc"] = base64.urlsafe_b64encode(json.dumps(emptied).encode()).rstrip(b"=").decode()
    with pytest.raises(LicenseInvalid, match="bad signature"):
        verify_revocation_list(rearmored(text, outer), public_keys=published(signer))
