"""The catalog over HTTP: products, policies and entitlements for their developer and admins,
404 for anyone else, 409 for what is still in use, and problems that name the field."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from dishka import AsyncContainer
from litestar.testing import AsyncTestClient

from devforge.domain.identity.roles import Role
from tests.access_world import session_actor
from tests.integration.http.conftest import build_client

API = "/api/licensing"


@dataclass
class Callers:
    developer: dict[str, str]
    stranger: dict[str, str]
    admin: dict[str, str]


@pytest.fixture
async def world() -> AsyncIterator[tuple[AsyncTestClient, Callers]]:
    client, container, _ = build_client()
    async with client as running:
        yield running, await callers(container)


async def callers(container: AsyncContainer) -> Callers:
    async def bearer(name: str, role: Role) -> dict[str, str]:
        actor = await session_actor(container, name, role, two_factor=role == Role.ADMIN)
        return {"Authorization": f"Bearer {actor.token}"}

    return Callers(
        await bearer("developer", Role.DEVELOPER),
        await bearer("other_developer", Role.DEVELOPER),
        await bearer("admin", Role.ADMIN),
    )


async def created(client: AsyncTestClient, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    response = await client.post(f"{API}{path}", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def problem(response: Any, status: int, code: str, field: str | None = None) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code
    if field is not None:
        assert [error["field"] for error in body["errors"]] == [field]


async def test_products_are_listed_shown_renamed_and_deleted_by_their_owner_or_an_admin(
    world: tuple[AsyncTestClient, Callers],
) -> None:
    client, who = world
    first = await created(client, "/products", {"code": "editor", "name": "Editor"}, who.developer)
    second = await created(client, "/products", {"code": "themes", "name": "Themes"}, who.developer)
    theirs = await created(client, "/products", {"code": "other", "name": "Other"}, who.stranger)

    page = (await client.get(f"{API}/products", params={"limit": 1}, headers=who.developer)).json()
    assert [p["id"] for p in page["items"]] == [first["id"]] and page["nextAfter"] == first["id"]
    rest = await client.get(f"{API}/products", params={"limit": 1, "after": page["nextAfter"]}, headers=who.developer)
    assert [p["id"] for p in rest.json()["items"]] == [second["id"]] and rest.json()["nextAfter"] is None
    everyone = (await client.get(f"{API}/products", headers=who.admin)).json()["items"]
    assert {p["id"] for p in everyone} == {first["id"], second["id"], theirs["id"]}
    foreign_cursor = await client.get(f"{API}/products", params={"after": theirs["id"]}, headers=who.developer)
    problem(foreign_cursor, 422, "rule_violated", "after")

    one = f"{API}/products/{first['id']}"
    assert (await client.get(one, headers=who.developer)).json()["code"] == "editor"
    problem(await client.get(one, headers=who.stranger), 404, "PRODUCT_NOT_FOUND")
    problem(await client.patch(one, json={"name": "Mine"}, headers=who.stranger), 404, "PRODUCT_NOT_FOUND")
    problem(await client.delete(one, headers=who.stranger), 404, "PRODUCT_NOT_FOUND")
    renamed = await client.patch(one, json={"name": "Editor Pro"}, headers=who.admin)
    assert (renamed.status_code, renamed.json()["name"], renamed.json()["code"]) == (200, "Editor Pro", "editor")
    problem(await client.patch(one, json={"name": "   "}, headers=who.developer), 422, "PRODUCT_INVALID", "name")

    policy = await created(client, "/policies", {"productId": first["id"], "name": "Pro"}, who.developer)
    problem(await client.delete(one, headers=who.developer), 409, "PRODUCT_IN_USE")
    assert (await client.delete(f"{API}/policies/{policy['id']}", headers=who.developer)).status_code == 204
    assert (await client.delete(one, headers=who.developer)).status_code == 204
    problem(await client.get(one, headers=who.admin), 404, "PRODUCT_NOT_FOUND")


async def test_a_policy_change_obeys_the_rules_and_issued_licenses_keep_their_terms(
    world: tuple[AsyncTestClient, Callers],
) -> None:
    client, who = world
    product = await created(client, "/products", {"code": "editor", "name": "Editor"}, who.developer)
    body = {"productId": product["id"], "name": "Team", "maxMachines": 3, "floating": True}
    policy = await created(client, "/policies", body, who.developer)
    issue = {"productId": product["id"], "policyId": policy["id"], "userId": product["ownerId"]}
    generated = (await client.post("/api/licenses/generate", json=issue, headers=who.developer)).json()
    one = f"{API}/policies/{policy['id']}"

    listed = await client.get(f"{API}/products/{product['id']}/policies", headers=who.developer)
    assert [p["id"] for p in listed.json()] == [policy["id"]]
    problem(
        await client.get(f"{API}/products/{product['id']}/policies", headers=who.stranger), 404, "PRODUCT_NOT_FOUND"
    )
    problem(await client.get(one, headers=who.stranger), 404, "POLICY_NOT_FOUND")
    problem(await client.patch(one, json={"name": "Mine"}, headers=who.stranger), 404, "POLICY_NOT_FOUND")

    changes = {"maxMachines": 10, "heartbeatRequired": True, "heartbeatIntervalSeconds": 120, "overage": "ALLOW_2X"}
    changed = await client.patch(one, json=changes, headers=who.developer)
    assert changed.status_code == 200, changed.text
    shown = (await client.get(one, headers=who.admin)).json()
    assert shown == changed.json()
    assert (shown["maxMachines"], shown["heartbeatIntervalSeconds"], shown["overage"], shown["name"]) == (
        10, 120, "ALLOW_2X", "Team",
    )  # fmt: skip
    license = await client.get(f"/api/licenses/{generated['key']}", headers=who.developer)
    assert license.json()["maxMachines"] == 3  # the terms it was issued with

    problem(
        await client.patch(one, json={"floating": False}, headers=who.developer), 422, "POLICY_INVALID", "max_machines"
    )
    problem(
        await client.patch(one, json={"heartbeatIntervalSeconds": 10}, headers=who.developer),
        422,
        "POLICY_INVALID",
        "heartbeat_interval",
    )
    assert (await client.patch(one, json={"unknown": 1}, headers=who.developer)).status_code == 400
    problem(await client.delete(one, headers=who.developer), 409, "POLICY_IN_USE")


async def test_entitlements_form_a_catalog_policies_must_draw_from(world: tuple[AsyncTestClient, Callers]) -> None:
    client, who = world
    product = await created(client, "/products", {"code": "editor", "name": "Editor"}, who.developer)
    entitlements = f"/products/{product['id']}/entitlements"
    granting = {"productId": product["id"], "name": "AI", "entitlements": ["ai-assist"]}
    undefined = await client.post(f"{API}/policies", json=granting, headers=who.developer)
    problem(undefined, 422, "ENTITLEMENT_UNDEFINED", "entitlements")

    ai = await created(client, entitlements, {"code": "AI-Assist", "name": "AI assist"}, who.developer)
    assert (ai["code"], ai["productId"]) == ("ai-assist", product["id"])
    await created(client, entitlements, {"code": "sync", "name": "Sync"}, who.admin)
    taken = await client.post(f"{API}{entitlements}", json={"code": "ai-assist", "name": "Again"}, headers=who.admin)
    problem(taken, 409, "ENTITLEMENT_CODE_TAKEN", "code")
    bad = await client.post(f"{API}{entitlements}", json={"code": "no spaces", "name": "X"}, headers=who.developer)
    problem(bad, 422, "ENTITLEMENT_CODE_INVALID", "code")
    listed = await client.get(f"{API}{entitlements}", headers=who.developer)
    assert [e["code"] for e in listed.json()] == ["ai-assist", "sync"]
    problem(await client.get(f"{API}{entitlements}", headers=who.stranger), 404, "PRODUCT_NOT_FOUND")
    foreign = await client.post(f"{API}{entitlements}", json={"code": "x", "name": "X"}, headers=who.stranger)
    problem(foreign, 404, "PRODUCT_NOT_FOUND")

    policy = await created(client, "/policies", granting, who.developer)
    assert policy["entitlements"] == ["ai-assist"]
    one = f"{API}/entitlements/{ai['id']}"
    problem(await client.delete(one, headers=who.stranger), 404, "ENTITLEMENT_NOT_FOUND")
    problem(await client.delete(one, headers=who.developer), 409, "ENTITLEMENT_IN_USE")
    undefined_patch = await client.patch(
        f"{API}/policies/{policy['id']}", json={"entitlements": ["ai-assist", "beta"]}, headers=who.developer
    )
    problem(undefined_patch, 422, "ENTITLEMENT_UNDEFINED", "entitlements")
    cleared = await client.patch(f"{API}/policies/{policy['id']}", json={"entitlements": []}, headers=who.developer)
    assert cleared.status_code == 200 and cleared.json()["entitlements"] == []
    assert (await client.delete(one, headers=who.developer)).status_code == 204
    assert [e["code"] for e in (await client.get(f"{API}{entitlements}", headers=who.admin)).json()] == ["sync"]
