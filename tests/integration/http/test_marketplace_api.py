"""The marketplace over HTTP (memory adapters): publishers, extensions, uploads by a CI key, the
review the worker runs, a reviewer's decisions, and the refusals along the way."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import pytest

from devforge.adapters.cdn.no_op_cdn import NoOpCdn
from devforge.adapters.memory.mailer import InMemoryMailer
from tests.integration.http.conftest import build_client
from tests.integration.http.marketplace_steps import Studio, bearer, open_studio
from tests.unit.marketplace.corpus import clean_package, hostile_corpus
from tests.unit.marketplace.zips import build_zip, clean_files


@pytest.fixture
async def studio() -> AsyncIterator[Studio]:
    client, container, _ = build_client(max_package_bytes=200_000)
    async with client:
        yield await open_studio(client, container)


async def test_upload_review_and_approval_over_http(studio: Studio) -> None:
    uploaded = await studio.upload(clean_package())
    assert uploaded.status_code == 202, uploaded.text
    body = uploaded.json()
    assert body["state"] == "uploaded" and body["version"] == "1.2.0"
    assert body["reviewUrl"] == f"/api/extensions/{studio.extension_id}/versions/1.2.0/review?targetPlatform=universal"
    assert (await studio.review())["state"] == "uploaded"
    public = await studio.client.get(f"/api/extensions/{studio.extension_id}")
    assert public.status_code == 404  # nothing published yet

    assert await studio.work() >= 1
    review = await studio.review()
    assert review["state"] == "passed" and {check["outcome"] for check in review["checks"]} == {"passed"}
    assert [step["toState"] for step in review["history"]] == ["validating", "scanning", "passed"]
    assert all("detail" not in check for check in review["checks"])

    approved = await studio.decide("approve")
    assert (approved.status_code, approved.json()["state"]) == (200, "approved"), approved.text
    shown = await studio.client.get(f"/api/extensions/{studio.extension_id}")
    assert shown.status_code == 200
    (version,) = shown.json()["versions"]
    assert version["state"] == "approved" and version["signature"] and version["sha256"] == body["sha256"]

    await studio.work()
    mailer = await studio.container.get(InMemoryMailer)
    subjects = [mail.subject for mail in mailer.sent if mail.to == "dev@acme.example"]
    assert any("passed every check" in s for s in subjects) and any("approved and published" in s for s in subjects)


async def test_a_hostile_upload_is_quarantined_with_reasons_and_cannot_be_approved(studio: Studio) -> None:
    hostile = hostile_corpus()["zip-slip"]
    assert (await studio.upload(hostile.archive)).status_code == 202
    await studio.work()
    review = await studio.review()
    safety = next(check for check in review["checks"] if check["check"] == "archive_safety")
    assert review["state"] == "quarantined" and "path traversal" in safety["message"]
    refused = await studio.decide("approve")
    assert (refused.status_code, refused.json()["code"]) == (403, "marketplace_action_refused")
    as_admin = await studio.review(token=studio.reviewer)
    assert any(check.get("detail") for check in as_admin["checks"] if check["outcome"] == "errored")


async def test_the_review_lists_each_finding_with_its_severity_file_and_line(studio: Studio) -> None:
    code = b"const s = atob('YWxlcnQoMSk=');\neval(s);\n"
    archive = build_zip(clean_files({"extension/out/extension.js": code}))
    assert (await studio.upload(archive)).status_code == 202
    await studio.work()
    review = await studio.review()
    scan = next(check for check in review["checks"] if check["check"] == "suspicious_code")
    assert review["state"] == "quarantined" and scan["outcome"] == "failed"
    (finding,) = [finding for finding in scan["findings"] if finding["severity"] == "high"]
    assert finding["rule"] == "remote_eval"
    assert (finding["path"], finding["line"]) == ("extension/out/extension.js", 2)
    quality = next(check for check in review["checks"] if check["check"] == "code_quality")
    assert "Measured by the server:" in quality["message"]


async def test_reject_and_request_changes_need_a_reason(studio: Studio) -> None:
    await studio.upload(clean_package())
    await studio.work()
    no_reason = await studio.decide("reject")
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    changes = await studio.decide("request-changes", reason="Add screenshots to the README.")
    assert changes.json()["state"] == "changes_requested"
    rerun = await studio.client.post(
        f"/api/extensions/{studio.extension_id}/review", json={"version": "1.2.0"}, headers=bearer(studio.developer)
    )
    assert (rerun.status_code, rerun.json()["state"]) == (202, "uploaded")
    await studio.work()
    assert (await studio.review())["reviewRound"] == 2


async def test_a_version_slot_is_refused_again_even_after_deletion(studio: Studio) -> None:
    assert (await studio.upload(clean_package())).status_code == 202
    again = await studio.upload(clean_package())
    assert (again.status_code, again.json()["code"]) == (409, "version_slot_taken")
    deleted = await studio.client.delete(f"/api/extensions/{studio.extension_id}", headers=bearer(studio.developer))
    assert deleted.status_code == 204
    after = await studio.upload(clean_package())
    assert (after.status_code, after.json()["code"]) == (404, "extension_not_found")
    reuse = await studio.client.post(
        "/api/extensions",
        json={"publisherId": studio.publisher_id, "name": "rainbow-brackets", "displayName": "Again"},
        headers=bearer(studio.developer),
    )
    assert (reuse.status_code, reuse.json()["code"]) == (409, "name_squatted")


async def test_an_oversized_package_is_refused_early_with_413(studio: Studio) -> None:
    announced = await studio.upload(bytes(300_000))
    assert (announced.status_code, announced.json()["code"]) == (413, "package_too_large")
    assert announced.headers["content-type"].startswith("application/problem+json")

    status, body = await raw_upload(studio, chunks=[bytes(10_000)] * 30)  # no Content-Length: chunked
    assert status == 413 and json.loads(body)["code"] == "package_too_large"


async def raw_upload(studio: Studio, chunks: list[bytes]) -> tuple[int, bytes]:
    """Straight through ASGI, as a server hands over a chunked body the client never announced."""
    pending = [{"type": "http.request", "body": chunk, "more_body": True} for chunk in chunks]
    pending.append({"type": "http.request", "body": b"", "more_body": False})
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": f"/api/extensions/{studio.extension_id}/versions",
        "raw_path": f"/api/extensions/{studio.extension_id}/versions".encode(),
        "query_string": b"version=1.3.0",
        "root_path": "",
        "headers": [(b"authorization", f"Bearer {studio.ci_key}".encode()), (b"host", b"testserver")],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
        "state": {},
    }
    await studio.client.app(scope, receive, send)  # type: ignore[arg-type]
    start = next(message for message in sent if message["type"] == "http.response.start")
    return start["status"], b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


async def test_squatting_names_are_refused_naming_the_collision(studio: Studio) -> None:
    other = await studio.client.post(
        "/api/publishers",
        json={"namespace": "acne", "displayName": "Totally Different"},
        headers=bearer(studio.developer),
    )
    assert other.status_code == 409 and "'acme'" in other.json()["detail"]
    assert other.json()["errors"][0]["field"] == "namespace"
    extension = await studio.client.post(
        "/api/extensions",
        json={"publisherId": studio.publisher_id, "name": "rainbow-bracket", "displayName": "RB"},
        headers=bearer(studio.developer),
    )
    assert extension.status_code == 409 and "'rainbow-brackets'" in extension.json()["detail"]


async def test_strangers_meet_missing_extensions_and_publishers(studio: Studio) -> None:
    await studio.client.post(
        "/api/auth/register",
        json={"email": "eve@example.com", "password": "correct horse battery staple", "role": "developer"},
    )
    eve = (
        await studio.client.post(
            "/api/auth/login", json={"email": "eve@example.com", "password": "correct horse battery staple"}
        )
    ).json()["accessToken"]
    edit = await studio.client.put(
        f"/api/extensions/{studio.extension_id}", json={"displayName": "Mine now"}, headers=bearer(eve)
    )
    assert (edit.status_code, edit.json()["code"]) == (404, "extension_not_found")
    verify = await studio.client.post(
        f"/api/publishers/{studio.publisher_id}/verification", json={"domain": "evil.example"}, headers=bearer(eve)
    )
    assert (verify.status_code, verify.json()["code"]) == (404, "publisher_not_found")
    board = await studio.client.get("/api/developer/dashboard", headers=bearer(studio.developer))
    assert board.json()["onboarding"]["extensionCreated"] is True
    assert [e["name"] for e in board.json()["extensions"]] == ["rainbow-brackets"]


async def approved(studio: Studio, archive: bytes, version: str = "1.2.0") -> None:
    assert (await studio.upload(archive, version=version)).status_code == 202
    await studio.work()
    decided = await studio.decide("approve", version=version)
    assert decided.status_code == 200, decided.text
    await studio.work()  # the listing follows the approval


async def test_search_download_and_the_newest_compatible_version(studio: Studio) -> None:
    assert (await studio.client.get("/api/extensions", params={"q": "rainbow"})).json()["items"] == []
    await approved(studio, clean_package("1.2.0"))
    await approved(studio, clean_package("1.3.0"), version="1.3.0")

    found = await studio.client.get("/api/extensions", params={"q": "rainb colour", "category": "themes"})
    (item,) = found.json()["items"]
    assert (item["id"], item["latestVersion"], item["verified"]) == (studio.extension_id, "1.3.0", False)
    assert (await studio.client.get("/api/extensions", params={"q": "python"})).json()["items"] == []
    assert (await studio.client.get("/api/extensions", params={"tag": "colour"})).json()["items"][0]["name"] == (
        "rainbow-brackets"
    )

    download = await studio.client.get(
        f"/api/extensions/{studio.extension_id}/download", headers={"X-Devforge-Client": "m1"}
    )
    body = download.json()
    assert download.status_code == 200 and body["version"] == "1.3.0" and body["signature"]
    assert body["filename"] == "acme.rainbow-brackets-1.3.0@universal.zip"
    await studio.client.get(f"/api/extensions/{studio.extension_id}/download", headers={"X-Devforge-Client": "m1"})
    await studio.client.get(
        f"/api/extensions/{studio.extension_id}/download",
        headers={"User-Agent": "Googlebot/2.1", "X-Devforge-Client": "b"},
    )
    old = await studio.client.get(
        f"/api/extensions/{studio.extension_id}/download",
        params={"version": "1.2.0", "kind": "update"},
        headers={"X-Devforge-Client": "m2"},
    )
    assert old.json()["version"] == "1.2.0"
    await studio.work()  # the counts follow the downloads
    listed = (await studio.client.get("/api/extensions", params={"publisher": "acme"})).json()["items"]
    assert listed[0]["downloads"] == 2  # m1 once, m2 once; the bot not at all

    compatible = await studio.client.get(
        f"/api/extensions/{studio.extension_id}/compatible",
        params={"editorVersion": "1.85.0", "targetPlatform": "linux-x64"},
    )
    assert (compatible.status_code, compatible.json()["version"]) == (200, "1.3.0")
    too_old = await studio.client.get(
        f"/api/extensions/{studio.extension_id}/compatible", params={"editorVersion": "1.79.0"}
    )
    assert (too_old.status_code, too_old.json()["code"]) == (404, "version_not_found")
    bad = await studio.client.get("/api/extensions", params={"cursor": "garbage"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cursor"


async def test_two_hundred_downloads_from_one_address_with_random_headers_count_once(studio: Studio) -> None:
    await approved(studio, clean_package("1.2.0"))
    answers, refused = set(), []
    for _ in range(200):
        headers = {
            "X-Devforge-Client": uuid4().hex,
            "X-Devforge-Install": f"dfi1.{uuid4().hex}.{uuid4().hex}",  # made up, not issued: ignored
            "User-Agent": f"editor/{uuid4().hex}",
        }
        answer = await studio.client.get(f"/api/extensions/{studio.extension_id}/download", headers=headers)
        answers.add(answer.status_code)
        refused += [answer] if answer.status_code == 429 else []
    assert 200 in answers and answers == {200, 429}  # at most 60 downloads a minute from one address
    assert int(refused[0].headers["Retry-After"]) > 0
    await studio.work()
    listed = (await studio.client.get("/api/extensions", params={"publisher": "acme"})).json()["items"]
    assert listed[0]["downloads"] == 1  # one address, one version, one day


async def test_yank_deprecate_and_the_cdn_forgets_withdrawn_archives(studio: Studio) -> None:
    await approved(studio, clean_package("1.2.0"))
    await approved(studio, clean_package("1.3.0"), version="1.3.0")
    yank = await studio.client.post(
        f"/api/extensions/{studio.extension_id}/yank",
        json={"version": "1.3.0", "reason": "Crashes on start-up."},
        headers=bearer(studio.developer),
    )
    assert (yank.status_code, yank.json()["yanked"], yank.json()["yankReason"]) == (200, True, "Crashes on start-up.")
    download = await studio.client.get(f"/api/extensions/{studio.extension_id}/download")
    assert download.json()["version"] == "1.2.0"  # the yanked one is no longer the newest
    pinned = await studio.client.get(f"/api/extensions/{studio.extension_id}/download", params={"version": "1.3.0"})
    assert pinned.json()["version"] == "1.3.0"  # ...but a lockfile pinning it still gets it
    await studio.work()
    (item,) = (await studio.client.get("/api/extensions")).json()["items"]
    assert item["latestVersion"] == "1.2.0"

    deprecated = await studio.client.post(
        f"/api/extensions/{studio.extension_id}/deprecate",
        json={"message": "Merged into Brackets Pro.", "replacement": "acme.brackets-pro"},
        headers=bearer(studio.developer),
    )
    assert deprecated.json().get("replacement") == "acme.brackets-pro", deprecated.text
    await studio.work()
    (item,) = (await studio.client.get("/api/extensions")).json()["items"]
    assert item["deprecated"] is True
    bad = await studio.client.post(
        f"/api/extensions/{studio.extension_id}/deprecate",
        json={"message": "x", "replacement": "not a name"},
        headers=bearer(studio.developer),
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "replacement"

    await studio.client.delete(f"/api/extensions/{studio.extension_id}", headers=bearer(studio.developer))
    await studio.work()
    cdn = await studio.container.get(NoOpCdn)
    assert len(cdn.purged) == 3 and len(set(cdn.purged)) == 2  # the yanked archive, then both on deletion
    assert (await studio.client.get("/api/extensions")).json()["items"] == []


async def test_the_owner_adds_a_member_who_may_then_publish_and_removes_them(studio: Studio) -> None:
    member_id = (
        await studio.client.post(
            "/api/auth/register",
            json={"email": "bob@acme.example", "password": "correct horse battery staple", "role": "developer"},
        )
    ).json()["id"]
    bob = (
        await studio.client.post(
            "/api/auth/login", json={"email": "bob@acme.example", "password": "correct horse battery staple"}
        )
    ).json()["accessToken"]
    members = f"/api/publishers/{studio.publisher_id}/members"
    refused = await studio.client.post(members, json={"userId": member_id}, headers=bearer(bob))
    assert (refused.status_code, refused.json()["code"]) == (404, "publisher_not_found")

    added = await studio.client.post(members, json={"userId": member_id}, headers=bearer(studio.developer))
    assert added.status_code == 200 and member_id in added.json()["members"]
    edit = await studio.client.put(
        f"/api/extensions/{studio.extension_id}", json={"displayName": "Rainbow Brackets 2"}, headers=bearer(bob)
    )
    assert edit.status_code == 200, edit.text
    not_owner = await studio.client.post(members, json={"userId": member_id}, headers=bearer(bob))
    assert (not_owner.status_code, not_owner.json()["code"]) == (403, "marketplace_action_refused")

    removed = await studio.client.delete(f"{members}/{member_id}", headers=bearer(studio.developer))
    assert removed.status_code == 200 and member_id not in removed.json()["members"]
    gone = await studio.client.put(
        f"/api/extensions/{studio.extension_id}", json={"displayName": "Mine"}, headers=bearer(bob)
    )
    assert gone.status_code == 404


async def test_an_api_key_cannot_change_who_belongs_to_its_publisher(studio: Studio) -> None:
    """A leaked CI key would otherwise add its holder as a member, who keeps publishing after the
    key is revoked: membership needs the owner's session (``publishers:manage``, never on a key)."""
    intruder_id = (
        await studio.client.post(
            "/api/auth/register",
            json={"email": "mallory@evil.example", "password": "correct horse battery staple", "role": "developer"},
        )
    ).json()["id"]
    members = f"/api/publishers/{studio.publisher_id}/members"
    with_key = await studio.client.post(members, json={"userId": intruder_id}, headers=bearer(studio.ci_key))
    assert (with_key.status_code, with_key.json()["code"]) == (403, "permission_denied")
    owner_id = (await studio.client.get("/api/auth/me", headers=bearer(studio.developer))).json()["id"]
    removing = await studio.client.delete(f"{members}/{owner_id}", headers=bearer(studio.ci_key))
    assert (removing.status_code, removing.json()["code"]) == (403, "permission_denied")
    dashboard = await studio.client.get("/api/developer/dashboard", headers=bearer(studio.developer))
    [publisher] = dashboard.json()["publishers"]
    assert intruder_id not in publisher["members"]
