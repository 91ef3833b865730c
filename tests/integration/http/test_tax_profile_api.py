"""``/api/payments/tax-profile`` over HTTP in the embedded profile (SQLite on disk): the owner of
a publisher certifies a W-9 and reads it back masked; another developer is told there is no such
publisher; a malformed TIN is a problem naming ``tin``; the TIN is in no answer, and not in plain
text anywhere in the database file."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient

from devforge.bootstrap.container import make_container
from devforge.bootstrap.migrations import migrate
from devforge.domain.identity.roles import Role
from devforge.entrypoints.http.app import create_app
from tests.access_world import add_account, start_session
from tests.conftest import settings_for_tests
from tests.integration.http.authentication_steps import bearer

TIN = "123-45-6789"


async def a_publisher(client: AsyncTestClient, container: Any, name: str) -> tuple[dict[str, str], str]:
    user_id = await add_account(container, f"{name}@{name}.example", Role.DEVELOPER)
    token, _ = await start_session(container, user_id, Role.DEVELOPER)
    auth = bearer(token)
    created = await client.post("/api/publishers", json={"namespace": name, "displayName": name.title()}, headers=auth)
    assert created.status_code == 201, created.text
    return auth, created.json()["id"]


def w9(publisher_id: str, **changes: Any) -> dict[str, Any]:
    body = {
        "publisherId": publisher_id,
        "form": "w9",
        "name": "Ada Lovelace",
        "entityType": "individual",
        "tinType": "ssn",
        "tin": TIN,
        "address": "1 Main St, Springfield, IL 62701",
        "signerName": "Ada Lovelace",
    }
    return body | changes


async def test_an_owner_certifies_a_w9_and_reads_it_masked(tmp_path: Path) -> None:
    settings = settings_for_tests(profile="embedded", data_dir=str(tmp_path))
    await asyncio.to_thread(migrate, settings)
    container = make_container(settings)
    app = create_app(container, settings)
    answers: list[str] = []
    try:
        async with AsyncTestClient(app=app) as client:
            acme, acme_id = await a_publisher(client, container, "acme")
            globex, _ = await a_publisher(client, container, "globex")

            missing = await client.get("/api/payments/tax-profile", params={"publisherId": acme_id}, headers=acme)
            assert missing.status_code == 404, missing.text

            certified = await client.put("/api/payments/tax-profile", json=w9(acme_id), headers=acme)
            answers.append(certified.text)
            assert certified.status_code == 200, certified.text
            assert certified.json()["tinMasked"] == "***-**-6789"
            assert certified.json()["withholdingBasisPoints"] == 0

            read = await client.get("/api/payments/tax-profile", params={"publisherId": acme_id}, headers=acme)
            answers.append(read.text)
            assert read.status_code == 200 and read.json()["tinMasked"] == "***-**-6789"

            # someone else's publisher: exactly like a missing one
            query = {"publisherId": acme_id}
            for other in (
                await client.get("/api/payments/tax-profile", params=query, headers=globex),
                await client.put("/api/payments/tax-profile", json=w9(acme_id), headers=globex),
            ):
                answers.append(other.text)
                assert other.status_code == 404, other.text

            bad = await client.put("/api/payments/tax-profile", json=w9(acme_id, tin="666-45-6789"), headers=acme)
            answers.append(bad.text)
            assert bad.status_code == 422, bad.text
            assert bad.headers["content-type"].startswith("application/problem+json")
            assert "tin" in bad.text and bad.json()["code"] == "tin_invalid"

            no_tin = w9(acme_id, tin=None, tinType=None)
            backup = await client.put("/api/payments/tax-profile", json=no_tin, headers=acme)
            assert backup.status_code == 200 and backup.json()["withholdingBasisPoints"] == 2400
            again = await client.put("/api/payments/tax-profile", json=w9(acme_id), headers=acme)
            assert again.status_code == 200
    finally:
        await container.close()
    for answer in answers:
        assert "6789" not in answer.replace("***-**-6789", "")
        assert TIN not in answer and TIN.replace("-", "") not in answer
    database = b"".join(path.read_bytes() for path in tmp_path.rglob("*.sqlite*"))
    database += b"".join(path.read_bytes() for path in tmp_path.rglob("*.db*"))
    assert database, "the SQLite files were not found"
    assert TIN.encode() not in database and TIN.replace("-", "").encode() not in database
