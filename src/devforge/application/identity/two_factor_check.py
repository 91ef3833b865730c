"""Which time step an authenticator code belongs to, for a sealed enrolment."""

from __future__ import annotations

from datetime import datetime

from devforge.application.identity.two_factor_ports import SecretBox, TotpCodes
from devforge.domain.identity.errors import TwoFactorSecretUnreadable
from devforge.domain.identity.two_factor import TwoFactor


class TwoFactorCheck:
    """Opens the sealed secret (bound to its user) only for the moment of the check."""

    def __init__(self, totp: TotpCodes, box: SecretBox) -> None:
        self._totp, self._box = totp, box

    def new_sealed_secret(self, user_id: str) -> tuple[str, str]:
        """A fresh secret, in plain (to show once) and sealed (to store)."""
        secret = self._totp.new_secret()
        return secret, self._box.seal(secret, context=user_id)

    def provisioning_uri(self, secret: str, *, account: str) -> str:
        return self._totp.provisioning_uri(secret, account=account, issuer="Dev Forge")

    def step(self, two_factor: TwoFactor, code: str, now: datetime) -> int | None:
        """A secret that no longer opens (the server secret was changed) is refused with a
        clear error, never a 500; the account's recovery codes still work."""
        try:
            secret = self._box.open(two_factor.sealed_secret, context=str(two_factor.user_id))
        except ValueError:
            raise TwoFactorSecretUnreadable(
                "Authenticator codes cannot be checked for this account; use a recovery code.", field="code"
            ) from None
        return self._totp.matching_step(secret, code, now=now)
