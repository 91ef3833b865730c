"""Ratings, reviews and paid downloads over HTTP (memory adapters): problem+json naming the
field at fault, 401/403/404 for strangers, a user's own rating only, an administrator's removal,
and a paid extension refused until the caller holds a license of its product."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from devforge.domain.identity.roles import Role
from tests.access_world import add_account, start_session
from tests.integration.http.conftest import build_client
from tests.integration.http.marketplace_steps import Studio, bearer, open_studio
from tests.unit.marketplace.corpus import clean_package


@pytest.fixture
async def studio() -> AsyncIterator[Studio]:
    """Ratings right after a download: the minimum download age is shown below and in the unit tests."""
    client, container, _ = build_client(marketplace_rating_min_download_hours=0)
    async with client:
        studio = await open_studio(client, container)
        assert (await studio.upload(clean_package())).status_code == 202
        await studio.work()
        assert (await studio.decide("approve")).status_code == 200
        await studio.work()  # listed
        yield studio


async def customer(studio: Studio, email: str) -> tuple[str, str]:
    """(access token, user id) of a new customer."""
    user_id = await add_account(studio.container, email, Role.CUSTOMER)
    token, _ = await start_session(studio.container, user_id, Role.CUSTOMER)
    return token, str(user_id)


def mine(studio: Studio) -> str:
    return f"/api/extensions/{studio.extension_id}/reviews/mine"


async def download(studio: Studio, token: str | None = None) -> Any:
    headers = bearer(token) if token else {}
    return await studio.client.get(f"/api/extensions/{studio.extension_id}/download", headers=headers)


async def test_a_downloader_rates_edits_and_deletes_their_review(studio: Studio) -> None:
    alice, _ = await customer(studio, "alice@example.com")
    refused = await studio.client.put(mine(studio), json={"stars": 5}, headers=bearer(alice))
    assert (refused.status_code, refused.json()["code"]) == (403, "rating_refused")
    assert refused.headers["content-type"] == "application/problem+json"
    assert "download it first" in refused.json()["detail"]

    assert (await download(studio, alice)).status_code == 200
    nul = await studio.client.put(mine(studio), json={"stars": 4, "body": "Colours\u0000"}, headers=bearer(alice))
    assert (nul.status_code, nul.json()["errors"][0]["field"]) == (400, "body")  # refused at the door
    body = {"stars": 4, "title": "Nice", "body": "<b>Colours</b> everywhere"}
    first = await studio.client.put(mine(studio), json=body, headers=bearer(alice))
    assert first.status_code == 200, first.text
    assert (first.json()["body"], first.json()["edited"]) == ("<b>Colours</b> everywhere", False)
    again = await studio.client.put(mine(studio), json=body, headers=bearer(alice))
    assert again.json() == first.json()  # idempotent
    edited = await studio.client.put(mine(studio), json={"stars": 2}, headers=bearer(alice))
    assert (edited.json()["id"], edited.json()["stars"], edited.json()["edited"]) == (first.json()["id"], 2, True)
    assert (await studio.client.get(mine(studio), headers=bearer(alice))).json()["stars"] == 2

    # The reviews page counts the ratings as they are: the author sees theirs at once...
    public = (await studio.client.get(f"/api/extensions/{studio.extension_id}/reviews")).json()
    assert public["summary"] == {"count": 1, "average": 2.0, "histogram": {"1": 0, "2": 1, "3": 0, "4": 0, "5": 0}}
    assert [item["stars"] for item in public["items"]] == [2] and public["nextCursor"] is None
    # ...while the extension's figures and its listing are a read model the worker restates.
    assert (await studio.client.get(f"/api/extensions/{studio.extension_id}")).json()["ratingCount"] == 0
    await studio.work()
    shown = (await studio.client.get(f"/api/extensions/{studio.extension_id}")).json()
    listed = (await studio.client.get("/api/extensions")).json()["items"][0]
    assert (shown["ratingCount"], shown["ratingAverage"], shown["paid"]) == (1, 2.0, False)
    assert (listed["ratingCount"], listed["ratingAverage"], listed["paid"]) == (1, 2.0, False)

    assert (await studio.client.delete(mine(studio), headers=bearer(alice))).status_code == 204
    gone = await studio.client.get(mine(studio), headers=bearer(alice))
    assert (gone.status_code, gone.json()["code"]) == (404, "rating_not_found")
    assert (await studio.client.get(f"/api/extensions/{studio.extension_id}/reviews")).json()["summary"]["count"] == 0


async def test_bad_stars_and_a_too_long_body_answer_problems_naming_the_field(studio: Studio) -> None:
    alice, _ = await customer(studio, "alice@example.com")
    await download(studio, alice)
    for body, field in (
        ({"stars": 6}, "stars"),
        ({"stars": 0}, "stars"),
        ({"stars": "five"}, "stars"),
        ({"stars": 3, "body": "x" * 5_001}, "body"),
        ({"stars": 3, "title": "t" * 101}, "title"),
    ):
        response = await studio.client.put(mine(studio), json=body, headers=bearer(alice))
        assert response.status_code == 400, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert [error["field"] for error in response.json()["errors"]] == [field]


async def test_strangers_are_refused_and_nobody_deletes_someone_elses_review(studio: Studio) -> None:
    alice, _ = await customer(studio, "alice@example.com")
    bob, _ = await customer(studio, "bob@example.com")
    for token in (alice, bob):
        await download(studio, token)
    await studio.client.put(mine(studio), json={"stars": 5}, headers=bearer(alice))
    review_id = (await studio.client.get(mine(studio), headers=bearer(alice))).json()["id"]

    anonymous = await studio.client.put(mine(studio), json={"stars": 1})
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "session_invalid")
    assert (await studio.client.delete(mine(studio), headers=bearer(bob))).status_code == 404  # bob has none
    assert (await studio.client.get(mine(studio), headers=bearer(alice))).status_code == 200  # alice's is intact
    by_user = await studio.client.delete(
        f"/api/extensions/{studio.extension_id}/reviews/{review_id}", params={"reason": "x"}, headers=bearer(bob)
    )
    assert (by_user.status_code, by_user.json()["code"]) == (403, "permission_denied")
    own = await studio.client.put(mine(studio), json={"stars": 5}, headers=bearer(studio.developer))
    assert (own.status_code, own.json()["code"]) == (403, "rating_refused")  # the publisher's member
    missing = await studio.client.put(
        "/api/extensions/00000000-0000-0000-0000-000000000000/reviews/mine", json={"stars": 5}, headers=bearer(alice)
    )
    assert missing.status_code == 404

    removed = await studio.client.delete(
        f"/api/extensions/{studio.extension_id}/reviews/{review_id}",
        params={"reason": "Spam"},
        headers=bearer(studio.reviewer),
    )
    assert removed.status_code == 204, removed.text
    assert (await studio.client.get(mine(studio), headers=bearer(alice))).status_code == 404


async def test_a_bad_token_on_the_public_download_is_refused_not_ignored(studio: Studio) -> None:
    response = await download(studio, "not-a-token")
    assert (response.status_code, response.headers["content-type"]) == (401, "application/problem+json")
    assert (await download(studio)).status_code == 200


async def test_a_paid_extension_downloads_only_for_a_license_holder(studio: Studio) -> None:
    client, developer = studio.client, bearer(studio.developer)
    alice, alice_id = await customer(studio, "alice@example.com")
    bob, _ = await customer(studio, "bob@example.com")
    product = await client.post(
        "/api/licensing/products", json={"code": "brackets-pro", "name": "Pro"}, headers=developer
    )
    product_id = product.json()["id"]
    policy = await client.post(
        "/api/licensing/policies", json={"productId": product_id, "name": "Pro"}, headers=developer
    )
    issued = await client.post(
        "/api/licenses/generate",
        json={"productId": product_id, "policyId": policy.json()["id"], "userId": alice_id},
        headers=developer,
    )
    assert issued.status_code == 201, issued.text

    listing = {"displayName": "Rainbow Brackets", "licenseProductId": product_id}
    linked = await client.put(f"/api/extensions/{studio.extension_id}", json=listing, headers=developer)
    assert (linked.status_code, linked.json()["paid"], linked.json()["licenseProductId"]) == (200, True, product_id)
    stranger_product = {"displayName": "Rainbow Brackets", "licenseProductId": "00000000-0000-0000-0000-000000000001"}
    refused_link = await client.put(f"/api/extensions/{studio.extension_id}", json=stranger_product, headers=developer)
    assert (refused_link.status_code, refused_link.json()["errors"][0]["field"]) == (422, "licenseProductId")

    anonymous = await download(studio)
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "sign_in_required")
    unlicensed = await download(studio, bob)
    assert (unlicensed.status_code, unlicensed.json()["code"]) == (403, "entitlement_required")
    assert product_id in unlicensed.json()["detail"]
    assert (await download(studio, alice)).status_code == 200
    await studio.work()  # the listing follows the link
    paid = await client.get("/api/extensions", params={"price": "paid"})
    free = await client.get("/api/extensions", params={"price": "free"})
    assert [item["paid"] for item in paid.json()["items"]] == [True] and free.json()["items"] == []
    assert (await client.get("/api/extensions", params={"price": "cheap"})).status_code == 400


async def test_with_the_default_minimum_age_a_fresh_download_does_not_entitle_yet() -> None:
    client, container, _ = build_client()
    async with client:
        studio = await open_studio(client, container)
        assert (await studio.upload(clean_package())).status_code == 202
        await studio.work()
        assert (await studio.decide("approve")).status_code == 200
        alice, _ = await customer(studio, "alice@example.com")
        assert (await download(studio, alice)).status_code == 200
        refused = await studio.client.put(mine(studio), json={"stars": 5}, headers=bearer(alice))
        assert (refused.status_code, refused.json()["code"]) == (403, "rating_refused")
        assert "try again in about 24 hour(s)" in refused.json()["detail"]
