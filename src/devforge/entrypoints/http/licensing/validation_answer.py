"""One answer to a validation, whichever way the request came in (the Litestar route or the
fast path): the same command from the same body, the same signed bytes."""

from __future__ import annotations

from litestar.serialization import encode_json

from devforge.application.licensing.offline_files import OfflineLicenses
from devforge.application.licensing.validate_license import ValidateLicense, Validation
from devforge.entrypoints.http.licensing.schemas import ValidateLicenseRequest, ValidationResponse, ValidationScope


def validate_command(data: ValidateLicenseRequest, key: str) -> ValidateLicense:
    return ValidateLicense(
        key=key, product_id=data.product, fingerprint=data.fingerprint, entitlements=frozenset(data.entitlements)
    )


def signed_answer(result: Validation, data: ValidateLicenseRequest, offline: OfflineLicenses) -> tuple[bytes, str]:
    """The body and its ``Devforge-Signature`` value: Ed25519 over these exact bytes, the time of
    the verdict and the nonce (empty when none was sent). Signing is part of encoding the answer:
    the signature covers the bytes this shell sends."""
    scope = ValidationScope(data.product, data.fingerprint, sorted(set(data.entitlements)))
    answer = ValidationResponse(result.valid, str(result.code), result.detail, result.at, data.nonce, scope)
    body = encode_json(answer)
    return body, offline.response_signature(body, now=result.at, nonce=data.nonce or "")
