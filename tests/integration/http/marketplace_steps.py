"""Steps the marketplace HTTP tests share: a developer with a publisher and an extension, a CI
key, a reviewer (an admin with two-factor on) and the worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dishka import AsyncContainer
from litestar.testing import AsyncTestClient

from devforge.domain.identity.roles import Role
from tests.access_world import add_account, start_session
from tests.outbox_drain import drain

PASSWORD = "correct horse battery staple"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Studio:
    client: AsyncTestClient
    container: AsyncContainer
    developer: str  # access token
    ci_key: str  # API key with extensions:publish
    reviewer: str  # admin access token, two-factor on
    publisher_id: str
    extension_id: str

    async def upload(self, archive: bytes, version: str = "1.2.0", platform: str = "universal", **headers: str) -> Any:
        return await self.client.post(
            f"/api/extensions/{self.extension_id}/versions",
            params={"version": version, "targetPlatform": platform},
            content=archive,
            headers={"Authorization": f"Bearer {self.ci_key}", "Content-Type": "application/zip", **headers},
        )

    async def review(self, version: str = "1.2.0", token: str | None = None) -> Any:
        response = await self.client.get(
            f"/api/extensions/{self.extension_id}/versions/{version}/review", headers=bearer(token or self.developer)
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def decide(self, action: str, version: str = "1.2.0", reason: str = "", token: str | None = None) -> Any:
        return await self.client.post(
            f"/api/extensions/{self.extension_id}/{action}",
            json={"version": version, "reason": reason},
            headers=bearer(token or self.reviewer),
        )

    async def work(self) -> int:
        return await drain(self.container)


async def open_studio(client: AsyncTestClient, container: AsyncContainer) -> Studio:
    await client.post(
        "/api/auth/register", json={"email": "dev@acme.example", "password": PASSWORD, "role": "developer"}
    )
    developer = (await client.post("/api/auth/login", json={"email": "dev@acme.example", "password": PASSWORD})).json()[
        "accessToken"
    ]
    key = await client.post(
        "/api/auth/api-keys",
        json={"name": "ci", "scopes": ["extensions:publish"], "expiresInDays": 30, "password": PASSWORD},
        headers=bearer(developer),
    )
    assert key.status_code == 201, key.text
    admin_id = await add_account(container, "reviewer@example.com", Role.ADMIN, two_factor=True)
    reviewer, _ = await start_session(container, admin_id, Role.ADMIN)
    publisher = await client.post(
        "/api/publishers", json={"namespace": "acme", "displayName": "Acme Tools"}, headers=bearer(developer)
    )
    assert publisher.status_code == 201, publisher.text
    extension = await client.post(
        "/api/extensions",
        json={
            "publisherId": publisher.json()["id"],
            "name": "rainbow-brackets",
            "displayName": "Rainbow Brackets",
            "description": "Colours matching brackets in six shades.",
            "tags": ["brackets", "colour"],
            "categories": ["themes"],
        },
        headers=bearer(developer),
    )
    assert extension.status_code == 201, extension.text
    return Studio(
        client,
        container,
        developer,
        key.json()["key"],
        reviewer,
        publisher.json()["id"],
        extension.json()["id"],
    )
