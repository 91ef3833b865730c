"""Recovery codes: the way in when the authenticator app is lost."""

from __future__ import annotations

import secrets

from devforge.application.identity.opaque_tokens import OpaqueTokens
from devforge.domain.identity.two_factor import RECOVERY_CODE_COUNT

_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper without doubt


class RecoveryCodes:
    """Ten codes of ten characters (about 50 bits each), shown once as ``xxxxx-xxxxx``; only
    their HMAC digests are kept. Case, spaces and dashes do not matter when one is typed back."""

    def __init__(self, opaque_tokens: OpaqueTokens) -> None:
        self._opaque = opaque_tokens

    def generate(self) -> list[str]:
        codes: set[str] = set()
        while len(codes) < RECOVERY_CODE_COUNT:
            raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
            codes.add(f"{raw[:5]}-{raw[5:]}")
        return sorted(codes)

    def digest(self, code: str) -> str:
        normalized = "".join(code.split()).replace("-", "").lower()
        return self._opaque.digest(f"recovery:{normalized}")
