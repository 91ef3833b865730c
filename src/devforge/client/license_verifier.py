"""The reference verifier for Dev Forge offline licensing: check a license file, a signed key, the
revocation list or a signed validation answer with the public keys alone, offline.

Standalone on purpose: the standard library and ``cryptography``, nothing from devforge, so it
can be copied into a client. Each check raises ``LicenseInvalid`` with a short reason.

    keys = load_public_keys(open("public-keys.json").read())
    file = verify_license_file(text, public_keys=keys, fingerprint=fp, now=datetime.now(UTC),
                               license_key=key, revocation_list=crl_text)
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

CLOCK_SKEW = timedelta(minutes=5)
RESPONSE_MAX_AGE = timedelta(minutes=5)
_PLAIN, _ENCRYPTED = "ed25519", "aes-256-gcm+ed25519"
# Policies under which an expired license still validates (online too): only their files may outlive the expiry.
_ACCESS_AFTER_EXPIRY = frozenset({"MAINTAIN_ACCESS", "ALLOW_ACCESS"})
_FILE_INFO = b"devforge:license-file:v1"
PublicKeys = Mapping[str, Ed25519PublicKey]


class LicenseInvalid(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def load_public_keys(document: str | Mapping[str, Any]) -> dict[str, Ed25519PublicKey]:
    """``{"keys": [{"kid", "public_key"}]}`` as served by the server, or ``{kid: public_key}``;
    public keys are raw 32 bytes in base64url."""
    data = json.loads(document) if isinstance(document, str) else document
    pairs = [(k["kid"], k["public_key"]) for k in data["keys"]] if "keys" in data else list(data.items())
    return {kid: Ed25519PublicKey.from_public_bytes(_unb64(raw)) for kid, raw in pairs}


def verify_license_file(
    text: str,
    *,
    public_keys: PublicKeys,
    fingerprint: str,
    now: datetime,
    license_key: str | None = None,
    revocation_list: str | None = None,
    clock_skew: timedelta = CLOCK_SKEW,
) -> dict[str, Any]:
    """The file's contents, once its signature, machine, time window, the license's own expiry and
    the revocation list (revoked or suspended) check out."""
    envelope = _armored(text, "DEVFORGE LICENSE FILE")
    alg, enc = envelope["alg"], envelope["enc"]
    _verify(public_keys, envelope["kid"], f"license/{alg}/{enc}".encode("ascii"), envelope["sig"])
    data = _unb64(enc)
    if alg == _ENCRYPTED:
        if license_key is None:
            raise LicenseInvalid("encrypted file: the license key is needed")
        data = _decrypt(data, _canonical_key(license_key), fingerprint.strip())
    elif alg != _PLAIN:
        raise LicenseInvalid(f"unknown algorithm {alg!r}")
    payload: dict[str, Any] = json.loads(data)
    if payload.get("kid") != envelope["kid"]:
        raise LicenseInvalid("the signing key id does not match")
    if payload["machine"]["fingerprint"] != fingerprint.strip():
        raise LicenseInvalid("issued for another machine (wrong fingerprint)")
    _within(now, _time(payload["issued_at"]), _time(payload["expires_at"]), clock_skew)
    _license_unexpired(now, payload["license"])
    if revocation_list is not None:
        withdrawn = _withdrawn(revocation_list, public_keys).get(payload["license"]["id"])
        if withdrawn is not None:
            raise LicenseInvalid(f"the license is {withdrawn}")
    return payload


def verify_signed_key(text: str, *, public_keys: PublicKeys) -> dict[str, Any]:
    """What a ``key/<data>.<signature>`` key grants, once its signature checks out."""
    signed, _, signature = text.strip().rpartition(".")
    if not signed.startswith("key/") or not signature:
        raise LicenseInvalid("not a signed license key")
    try:
        payload: dict[str, Any] = json.loads(_unb64(signed.removeprefix("key/")))
        key_id = payload["kid"]
    except (ValueError, KeyError, TypeError) as error:
        raise LicenseInvalid("bad signature") from error
    _verify(public_keys, key_id, signed.encode("ascii"), signature)
    return payload


def verify_revocation_list(text: str, *, public_keys: PublicKeys) -> frozenset[str]:
    """The ids of the licenses whose files are refused: revoked, and suspended (until reinstated).
    Keep the newest ``issued_at`` you have seen to refuse a replay."""
    return frozenset(_withdrawn(text, public_keys))


def _withdrawn(text: str, public_keys: PublicKeys) -> dict[str, str]:
    """License id -> "revoked" or "suspended", once the list's signature checks out."""
    envelope = _armored(text, "DEVFORGE REVOCATION LIST")
    _verify(public_keys, envelope["kid"], f"revocations/{envelope['alg']}/{envelope['enc']}".encode(), envelope["sig"])
    listed = json.loads(_unb64(envelope["enc"]))
    return {license_id: "suspended" for license_id in listed.get("suspended", [])} | {
        license_id: "revoked" for license_id in listed["revoked"]
    }


def verify_response(
    body: bytes,
    header: str,
    *,
    nonce: str,
    public_keys: PublicKeys,
    now: datetime,
    max_age: timedelta = RESPONSE_MAX_AGE,
) -> None:
    """A validation answer is genuine, fresh and for the nonce this client sent."""
    try:
        fields = dict(part.strip().split("=", 1) for part in header.split(";"))
        timestamp = int(fields["ts"])
    except (ValueError, KeyError) as error:
        raise LicenseInvalid("malformed signature header") from error
    _verify(
        public_keys,
        fields.get("kid", ""),
        f"response/{timestamp}/{_b64(nonce.encode())}/".encode() + body,
        fields.get("sig", ""),
    )
    signed_at = datetime.fromtimestamp(timestamp, UTC)
    if abs(now - signed_at) > max_age:
        raise LicenseInvalid("stale answer (replayed, or the clock is off)")


def _verify(public_keys: PublicKeys, key_id: str, message: bytes, signature: str) -> None:
    key = public_keys.get(key_id)
    if key is None:
        raise LicenseInvalid(f"signed by an unknown or rotated-out key ({key_id})")
    try:
        key.verify(_unb64(signature), message)
    except (InvalidSignature, ValueError) as error:
        raise LicenseInvalid("bad signature (the document was altered)") from error


def _within(now: datetime, issued_at: datetime, expires_at: datetime, skew: timedelta) -> None:
    if now < issued_at - skew:
        raise LicenseInvalid("the clock is set before the file was issued")
    if now >= expires_at:
        raise LicenseInvalid("the file's time to live has run out")


def _license_unexpired(now: datetime, license: Mapping[str, Any]) -> None:
    """A file never outlives the license it carries, unless its policy keeps access after expiry.
    (A file without the strategy is held to its license's expiry.)"""
    expiry = license.get("expires_at")
    if expiry and now >= _time(expiry) and license.get("expiration_strategy") not in _ACCESS_AFTER_EXPIRY:
        raise LicenseInvalid("the license inside the file has expired")


def _decrypt(sealed: bytes, license_key: str, fingerprint: str) -> bytes:
    salt = hashlib.sha256(fingerprint.encode("utf-8")).digest()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=_FILE_INFO).derive(license_key.encode("utf-8"))
    try:
        return AESGCM(key).decrypt(sealed[:12], sealed[12:], _FILE_INFO)
    except InvalidTag as error:
        raise LicenseInvalid("does not open with this license key and fingerprint") from error


def _armored(text: str, title: str) -> dict[str, str]:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) < 3 or lines[0] != f"-----BEGIN {title}-----" or lines[-1] != f"-----END {title}-----":
        raise LicenseInvalid(f"not a {title.lower()}")
    try:
        envelope: dict[str, str] = json.loads(base64.b64decode("".join(lines[1:-1]), validate=True))
        _ = envelope["alg"], envelope["enc"], envelope["kid"], envelope["sig"]
    except (ValueError, KeyError, TypeError, binascii.Error) as error:
        raise LicenseInvalid("bad signature (the document is damaged)") from error
    return envelope


def _canonical_key(text: str) -> str:
    """``DF-XXXXX-...`` however it was typed (case, spaces, dashes, O for 0, I and L for 1)."""
    compact = "".join(text.split()).replace("-", "").upper()
    compact = compact.removeprefix("DF") if len(compact) == 32 else compact
    compact = compact.translate(str.maketrans("OIL", "011"))
    return "-".join(["DF", *(compact[i : i + 5] for i in range(0, len(compact), 5))])


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise LicenseInvalid("bad signature (the document is damaged)") from error
