"""Steps the authentication HTTP tests share: sign up through the container, sign in, and an
account with two-factor on driven through the API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pyotp
from dishka import AsyncContainer
from litestar.testing import AsyncTestClient

from devforge.adapters.memory.clock import ManualClock
from devforge.application.identity.register_user import RegisterUser, RegisterUserHandler
from devforge.domain.identity.roles import Role

PASSWORD = "correct horse battery staple"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def register(container: AsyncContainer, email: str, role: Role = Role.CUSTOMER) -> str:
    async with container() as scope:
        view = await (await scope.get(RegisterUserHandler))(RegisterUser(email, PASSWORD, role=role, by_admin=True))
    return str(view.id)


async def log_in(client: AsyncTestClient, email: str = "ada@example.com", password: str = PASSWORD) -> Any:
    return await client.post("/api/auth/login", json={"email": email, "password": password})


class Account:
    """A user with two-factor on, driven through the API."""

    def __init__(self, client: AsyncTestClient, clock: ManualClock, email: str) -> None:
        self.client, self.clock, self.email = client, clock, email
        self.totp: pyotp.TOTP
        self.recovery_codes: list[str] = []

    def next_code(self) -> str:
        """A code of a step this account has not used yet."""
        self.clock.advance(timedelta(seconds=30))
        return self.totp.at(self.clock.now())

    async def turn_on_two_factor(self) -> str:
        access = (await log_in(self.client, self.email)).json()["accessToken"]
        enrolled = await self.client.post("/api/auth/2fa/enroll", headers=bearer(access))
        assert enrolled.status_code == 200, enrolled.text
        body = enrolled.json()
        assert body["otpauthUri"].startswith("otpauth://totp/Dev%20Forge:")
        assert f"secret={body['secret']}" in body["otpauthUri"]
        self.totp = pyotp.TOTP(body["secret"])
        confirmed = await self.client.post(
            "/api/auth/2fa/confirm", json={"code": self.totp.at(self.clock.now())}, headers=bearer(access)
        )
        assert confirmed.status_code == 200, confirmed.text
        self.recovery_codes = confirmed.json()["recoveryCodes"]
        return str(access)

    async def sign_in(self, **factor: str) -> Any:
        challenge = (await log_in(self.client, self.email)).json()
        assert challenge["twoFactorRequired"] is True and "accessToken" not in challenge
        body = {"challengeToken": challenge["challengeToken"], **(factor or {"code": self.next_code()})}
        return await self.client.post("/api/auth/login/2fa", json=body)
