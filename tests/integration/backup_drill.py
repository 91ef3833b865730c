"""Steps the backup drills share: fill an instance with what a restore must bring back (a paid
order with its invoice and license, a signed validation answer, an approved extension), and check
that another instance serves exactly that.

The filling runs in-process on the embedded wiring (jobs run by hand, the sandbox's webhooks sent
through the app); the check speaks HTTP to any client (the test client or a real server), so a
restored ``devforge serve`` answers the same questions as the original did.
"""

from __future__ import annotations

import base64
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from dishka import AsyncContainer
from litestar import Litestar

from devforge.adapters.payments.sandbox_store import SandboxStore
from devforge.adapters.payments.sandbox_webhook_dispatcher import SandboxWebhookDispatcher
from devforge.bootstrap.providers.payments import webhook_secrets, webhook_url
from devforge.bootstrap.settings import Settings
from devforge.client.license_verifier import load_public_keys, verify_response
from tests.integration.http.authentication_steps import PASSWORD, bearer
from tests.integration.http.marketplace_steps import open_studio
from tests.integration.http.test_identity_journey import link_token
from tests.integration.http.test_purchase_journey import mail_text
from tests.outbox_drain import drain
from tests.unit.marketplace.corpus import clean_package

CUSTOMER = "ada@example.com"
FINGERPRINT = "ada-laptop"
# A PDF rendered again differs in its creation time and the file id derived from it, nothing else.
_RENDER_TIME = re.compile(rb"/CreationDate \(D:[^)]*\)|/ID \[<[0-9A-F]+><[0-9A-F]+>\]")


@dataclass(frozen=True)
class Filled:
    """What the original instance served, kept to compare the restored one with."""

    license_key: str
    answer: bytes  # a signed validation answer, as received
    signature: str  # its Devforge-Signature header
    nonce: str
    license_keys: str  # GET /api/licenses/public-keys
    invoice_id: str
    invoice_number: str
    invoice_pdf: bytes
    extension_id: str
    package: bytes
    package_sha256: str
    package_signature: str
    package_key_id: str
    registry_keys: dict[str, Any]  # GET /api/extensions/signing-keys


def in_process(app: Litestar) -> httpx.AsyncClient:
    """The app on this event loop, where ``fill`` drains its outbox. A test client would run it
    on a loop of its own, and the app's lifespan with it: its API jobs (live counts ten times a
    second at the default settings) would take the container's lock from that loop while the drain
    takes it from this one; and asyncpg connections belong to the loop that opened them."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def fill(client: httpx.AsyncClient, app: Litestar, container: AsyncContainer, settings: Settings) -> Filled:
    mail = settings.data_path / "mail"
    await client.post("/api/auth/register", json={"email": CUSTOMER, "password": PASSWORD})
    await drain(container)
    verified = await client.post("/api/auth/verify-email", json={"token": link_token(mail, "Welcome")})
    assert verified.status_code == 204, verified.text
    auth = bearer(
        (await client.post("/api/auth/login", json={"email": CUSTOMER, "password": PASSWORD})).json()["accessToken"]
    )

    body = {"productCode": "editor-perpetual", "currency": "EUR", "country": "DE"}
    order = (await client.post("/api/payments/checkout", json=body, headers=auth)).json()
    await client.post(f"{urlsplit(order['redirectUrl']).path}/pay", follow_redirects=False)
    dispatcher = SandboxWebhookDispatcher(
        await container.get(SandboxStore),
        webhook_url(settings),
        webhook_secrets(settings)[0],
        transport=httpx.ASGITransport(app=app),
    )
    assert await dispatcher.dispatch_due() >= 2
    await drain(container, rounds=10)
    found = re.search(r"license key: (DF-[0-9A-Z-]+)", mail_text(mail, "receipt")[0])
    assert found is not None, "the receipt carries the license key"
    key = found.group(1)
    activated = await client.post("/api/licenses/activate", json={"fingerprint": FINGERPRINT}, headers=_license(key))
    assert activated.status_code in (200, 201), activated.text
    answer = await validate(client, key, "before-the-backup")
    [invoice] = (await client.get("/api/payments/invoices", headers=auth)).json()["items"]
    pdf = await client.get(f"/api/payments/invoices/{invoice['id']}/pdf", headers=auth)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")

    studio = await open_studio(client, container)
    package = clean_package()
    assert (await studio.upload(package)).status_code == 202
    await studio.work()
    assert (await studio.decide("approve")).json()["state"] == "approved"
    await studio.work()  # listed, by the listing's consumer
    download = (await client.get(f"/api/extensions/{studio.extension_id}/download")).json()
    assert await fetch(client, download["url"]) == package
    return Filled(
        key,
        answer.content,
        answer.headers["devforge-signature"],
        "before-the-backup",
        (await client.get("/api/licenses/public-keys")).text,
        invoice["id"],
        invoice["number"],
        pdf.content,
        studio.extension_id,
        package,
        download["sha256"],
        download["signature"],
        download["signingKeyId"],
        (await client.get("/api/extensions/signing-keys")).json(),
    )


async def assert_serves_the_same(client: httpx.AsyncClient, filled: Filled) -> None:
    """Licenses (answers signed with the same key), invoices and extensions, as before."""
    original_keys = load_public_keys(filled.license_keys)
    assert load_public_keys((await client.get("/api/licenses/public-keys")).text).keys() == original_keys.keys()
    signed_at = datetime.fromtimestamp(int(dict(p.split("=", 1) for p in filled.signature.split(";"))["ts"]), UTC)
    verify_response(filled.answer, filled.signature, nonce=filled.nonce, public_keys=original_keys, now=signed_at)
    nonce = f"after-the-restore-{uuid.uuid4().hex[:8]}"
    answer = await validate(client, filled.license_key, nonce)
    # Raises unless the restored instance signed with a key of the original ring.
    verify_response(
        answer.content,
        answer.headers["devforge-signature"],
        nonce=nonce,
        public_keys=original_keys,
        now=datetime.now(UTC),
    )
    assert _kid(answer.headers["devforge-signature"]) == _kid(filled.signature)

    login = await client.post("/api/auth/login", json={"email": CUSTOMER, "password": PASSWORD})
    assert login.status_code == 200, login.text
    auth = bearer(login.json()["accessToken"])
    [invoice] = (await client.get("/api/payments/invoices", headers=auth)).json()["items"]
    assert (invoice["id"], invoice["number"]) == (filled.invoice_id, filled.invoice_number)
    pdf = await client.get(f"/api/payments/invoices/{invoice['id']}/pdf", headers=auth)
    assert pdf.status_code == 200
    assert _RENDER_TIME.sub(b"", pdf.content) == _RENDER_TIME.sub(b"", filled.invoice_pdf)

    listed = (await client.get("/api/extensions", params={"q": "brackets"})).json()["items"]
    assert [item["id"] for item in listed] == [filled.extension_id]
    download = (await client.get(f"/api/extensions/{filled.extension_id}/download")).json()
    assert (download["sha256"], download["signature"], download["signingKeyId"]) == (
        filled.package_sha256,
        filled.package_signature,
        filled.package_key_id,
    )
    assert await fetch(client, download["url"]) == filled.package
    assert (await client.get("/api/extensions/signing-keys")).json() == filled.registry_keys
    key = next(k for k in filled.registry_keys["keys"] if k["kid"] == filled.package_key_id)
    Ed25519PublicKey.from_public_bytes(_b64(key["public_key"])).verify(
        _b64(download["signature"]), bytes.fromhex(filled.package_sha256)
    )


async def validate(client: httpx.AsyncClient, key: str, nonce: str) -> httpx.Response:
    answer = await client.post(
        "/api/licenses/validate", json={"fingerprint": FINGERPRINT, "nonce": nonce}, headers=_license(key)
    )
    assert answer.status_code == 200 and answer.json()["code"] == "VALID", answer.text
    return answer


async def fetch(client: httpx.AsyncClient, url: str) -> bytes:
    link = urlsplit(url)
    fetched = await client.get(link.path + (f"?{link.query}" if link.query else ""))
    assert fetched.status_code == 200, fetched.text
    return fetched.content


def _license(key: str) -> dict[str, str]:
    return {"Authorization": f"License {key}"}


def _kid(header: str) -> str:
    return dict(part.strip().split("=", 1) for part in header.split(";"))["kid"]


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.replace("+", "-").replace("/", "_") + "=" * (-len(text) % 4))
