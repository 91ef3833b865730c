"""Channels, dist-tags and unpublishing over HTTP (memory adapters): what an editor downloads per
channel or tag, the publisher's own tags, unpublishing within 72 hours and never out from under a
dependent extension, and the problem+json refusals along the way."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from devforge.adapters.cdn.no_op_cdn import NoOpCdn
from devforge.adapters.memory.clock import ManualClock
from tests.conftest import manual_clock_provider
from tests.integration.http.conftest import build_client
from tests.integration.http.marketplace_steps import PASSWORD, Studio, bearer, open_studio
from tests.unit.marketplace.releases import package


@pytest.fixture
async def studio(clock: ManualClock) -> AsyncIterator[Studio]:
    client, container, _ = build_client(manual_clock_provider(clock), max_package_bytes=200_000)
    async with client:
        yield await open_studio(client, container)


async def approved(studio: Studio, version: str, extension_id: str | None = None, **manifest: Any) -> None:
    target = extension_id or studio.extension_id
    name = manifest.pop("name", "rainbow-brackets")
    uploaded = await studio.client.post(
        f"/api/extensions/{target}/versions",
        params={"version": version},
        content=package(version, name, **manifest),
        headers={"Authorization": f"Bearer {studio.ci_key}", "Content-Type": "application/zip"},
    )
    assert uploaded.status_code == 202, uploaded.text
    await studio.work()
    decided = await studio.client.post(
        f"/api/extensions/{target}/approve", json={"version": version}, headers=bearer(studio.reviewer)
    )
    assert decided.status_code == 200, decided.text


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    return body


async def stranger(studio: Studio) -> str:
    credentials = {"email": "eve@example.com", "password": PASSWORD}
    await studio.client.post("/api/auth/register", json=credentials | {"role": "developer"})
    return (await studio.client.post("/api/auth/login", json=credentials)).json()["accessToken"]  # type: ignore[no-any-return]


async def test_channels_and_dist_tags_choose_what_an_editor_downloads(studio: Studio) -> None:
    await approved(studio, "1.2.0")
    await approved(studio, "1.3.0", preRelease=True)
    base = f"/api/extensions/{studio.extension_id}"

    assert (await studio.client.get(f"{base}/download")).json()["version"] == "1.2.0"
    pre = await studio.client.get(f"{base}/download", params={"channel": "pre-release"})
    assert pre.json()["version"] == "1.3.0"
    for params in ({"channel": "pre-release"}, {"prerelease": "true"}):
        compatible = await studio.client.get(f"{base}/compatible", params={"editorVersion": "1.85.0", **params})
        assert compatible.json()["version"] == "1.3.0" and compatible.json()["prerelease"] is True
    stable = await studio.client.get(f"{base}/compatible", params={"editorVersion": "1.85.0", "channel": "stable"})
    assert stable.json()["version"] == "1.2.0"
    assert (await studio.client.get(f"{base}/download", params={"channel": "nightly"})).status_code == 400

    tags = await studio.client.get(f"{base}/dist-tags")
    assert tags.json() == {"extensionId": studio.extension_id, "distTags": {"latest": "1.2.0", "pre-release": "1.3.0"}}
    put = await studio.client.put(f"{base}/dist-tags/next", json={"version": "1.3.0"}, headers=bearer(studio.ci_key))
    assert put.status_code == 200 and put.json()["distTags"]["next"] == "1.3.0", put.text
    shown = await studio.client.get(base)
    assert shown.json()["distTags"] == {"latest": "1.2.0", "pre-release": "1.3.0", "next": "1.3.0"}
    assert (await studio.client.get(f"{base}/download", params={"tag": "next"})).json()["version"] == "1.3.0"
    both = await studio.client.get(f"{base}/download", params={"tag": "next", "version": "1.2.0"})
    assert problem(both, 422, "extension_invalid")["errors"][0]["field"] == "tag"

    removed = await studio.client.delete(f"{base}/dist-tags/next", headers=bearer(studio.developer))
    assert removed.status_code == 200 and "next" not in removed.json()["distTags"]
    missing = await studio.client.get(f"{base}/download", params={"tag": "next"})
    assert problem(missing, 404, "dist_tag_not_found")["errors"] == [
        {"field": "tag", "message": "This extension has no dist-tag 'next'."}
    ]


async def test_tag_refusals_are_problem_details_naming_the_field(studio: Studio) -> None:
    await approved(studio, "1.2.0")
    base = f"/api/extensions/{studio.extension_id}/dist-tags"
    auth = bearer(studio.developer)

    latest = await studio.client.put(f"{base}/latest", json={"version": "1.2.0"}, headers=auth)
    body = problem(latest, 409, "dist_tag_reserved")
    assert "cannot be set or removed by hand" in body["detail"] and body["errors"][0]["field"] == "tag"
    problem(await studio.client.delete(f"{base}/pre-release", headers=auth), 409, "dist_tag_reserved")
    bad = await studio.client.put(f"{base}/Bad_Tag", json={"version": "1.2.0"}, headers=auth)
    assert problem(bad, 422, "dist_tag_invalid")["errors"][0]["field"] == "tag"
    unknown = await studio.client.put(f"{base}/next", json={"version": "9.9.9"}, headers=auth)
    assert problem(unknown, 404, "version_not_found")["errors"][0]["field"] == "version"
    problem(await studio.client.delete(f"{base}/next", headers=auth), 404, "dist_tag_not_found")

    eve = bearer(await stranger(studio))
    problem(await studio.client.put(f"{base}/next", json={"version": "1.2.0"}, headers=eve), 404, "extension_not_found")
    problem(await studio.client.delete(f"{base}/next", headers=eve), 404, "extension_not_found")
    gone = await studio.client.delete(f"/api/extensions/{studio.extension_id}/versions/1.2.0", headers=eve)
    problem(gone, 404, "extension_not_found")


async def test_unpublishing_within_72_hours_moves_latest_and_purges_the_cdn(studio: Studio, clock: ManualClock) -> None:
    await approved(studio, "1.2.0")
    await approved(studio, "1.3.0")
    base = f"/api/extensions/{studio.extension_id}"
    await studio.client.put(f"{base}/dist-tags/next", json={"version": "1.3.0"}, headers=bearer(studio.ci_key))

    for _ in range(2):  # a retry answers the same
        gone = await studio.client.delete(f"{base}/versions/1.3.0", headers=bearer(studio.ci_key))
        assert gone.status_code == 204, gone.text
    assert (await studio.client.get(f"{base}/dist-tags")).json()["distTags"] == {"latest": "1.2.0"}
    assert (await studio.client.get(f"{base}/download")).json()["version"] == "1.2.0"
    pinned = await studio.client.get(f"{base}/download", params={"version": "1.3.0"})
    problem(pinned, 404, "version_not_found")
    again = await studio.client.post(
        f"{base}/versions",
        params={"version": "1.3.0"},
        content=package("1.3.0"),
        headers={"Authorization": f"Bearer {studio.ci_key}", "Content-Type": "application/zip"},
    )
    problem(again, 409, "version_slot_taken")
    await studio.work()
    assert len((await studio.container.get(NoOpCdn)).purged) == 1

    published_at = (await studio.client.get(base)).json()["versions"][0]["publishedAt"]
    clock.advance(timedelta(hours=72, seconds=1))
    late = await studio.client.delete(f"{base}/versions/1.2.0", headers=bearer(studio.ci_key))
    body = problem(late, 409, "unpublish_refused")
    assert "72 hours" in body["detail"] and body["errors"][0]["field"] == "version"
    deadline = datetime.fromisoformat(published_at) + timedelta(hours=72)
    assert f"ended at {deadline.isoformat()}" in body["detail"]


async def test_a_dependency_holds_the_last_version_and_the_extension(studio: Studio) -> None:
    await approved(studio, "1.2.0")
    created = await studio.client.post(
        "/api/extensions",
        json={"publisherId": studio.publisher_id, "name": "colour-picker", "displayName": "Colour Picker"},
        headers=bearer(studio.developer),
    )
    dependent = created.json()["id"]
    await approved(studio, "1.0.0", dependent, name="colour-picker", extensionDependencies=["acme.rainbow-brackets"])
    base = f"/api/extensions/{studio.extension_id}"

    refused = await studio.client.delete(f"{base}/versions/1.2.0", headers=bearer(studio.developer))
    body = problem(refused, 409, "unpublish_refused")
    assert "acme.colour-picker depends on this extension" in body["detail"]
    deleting = await studio.client.delete(base, headers=bearer(studio.developer))
    assert "acme.colour-picker" in problem(deleting, 409, "extension_has_dependents")["detail"]

    await approved(studio, "1.3.0")  # another live version satisfies the dependent
    assert (await studio.client.delete(f"{base}/versions/1.2.0", headers=bearer(studio.developer))).status_code == 204


async def test_a_bad_dependency_in_the_manifest_is_a_finding_naming_the_field(studio: Studio) -> None:
    uploaded = await studio.upload(package("1.2.0", extensionDependencies=["Not A Name"]))
    assert uploaded.status_code == 202
    await studio.work()
    review = await studio.review()
    manifest = next(check for check in review["checks"] if check["check"] == "manifest")
    assert review["state"] == "rejected" and "'extensionDependencies'" in manifest["message"]
