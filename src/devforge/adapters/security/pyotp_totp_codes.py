from __future__ import annotations

import hmac
from datetime import datetime

import pyotp

DIGITS = 6
STEP_SECONDS = 30
WINDOW = 1


class PyotpTotpCodes:
    """RFC 6238 with pyotp: SHA-1, 6 digits, 30-second steps (what every authenticator app
    speaks), and one step of clock drift either way (``valid_window=1``). Unlike pyotp's
    ``verify`` it says which step matched, so the caller can refuse that step a second time."""

    def new_secret(self) -> str:
        return pyotp.random_base32(length=32)

    def provisioning_uri(self, secret: str, *, account: str, issuer: str) -> str:
        return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
            name=account, issuer_name=issuer
        )

    def matching_step(self, secret: str, code: str, *, now: datetime) -> int | None:
        candidate = "".join(code.split())
        if len(candidate) != DIGITS or not candidate.isdigit():
            return None
        totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
        current = totp.timecode(now)
        matched = None
        for step in range(current - WINDOW, current + WINDOW + 1):
            # Compare against every step in the window, whatever matched, so timing says nothing.
            if hmac.compare_digest(totp.generate_otp(step), candidate):
                matched = step
        return matched
