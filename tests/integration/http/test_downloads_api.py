"""Signed downloads over HTTP (``GET /files/{token}``) and the registry's public signing keys."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from devforge.adapters.memory.clock import ManualClock
from devforge.application.common.file_storage import FileStorage
from devforge.application.marketplace.artifact_signer import ArtifactSigner
from tests.conftest import manual_clock_provider
from tests.integration.http.conftest import build_client

PACKAGE = b"PK\x03\x04" + bytes(range(256)) * 2000  # ~512 KB: more than one streamed chunk


async def test_a_signed_link_downloads_the_file_under_its_name_until_it_expires() -> None:
    clock = ManualClock()
    client, container, _ = build_client(manual_clock_provider(clock))
    storage = await container.get(FileStorage)
    await storage.put("extensions/acme/linter/1.2.0/universal.vsix", PACKAGE)
    url = await storage.signed_url(
        "extensions/acme/linter/1.2.0/universal.vsix",
        expires_in=timedelta(minutes=5),
        filename="acme.linter-1.2.0.vsix",
    )
    path = urlsplit(url).path
    assert path.startswith("/files/")
    async with client:
        response = await client.get(path)
        assert response.status_code == 200
        assert response.content == PACKAGE
        assert response.headers["content-length"] == str(len(PACKAGE))
        assert response.headers["content-disposition"].startswith('attachment; filename="acme.linter-1.2.0.vsix"')
        assert response.headers["content-type"] == "application/octet-stream"

        clock.advance(timedelta(minutes=5))
        expired = await client.get(path)
    assert (expired.status_code, expired.json()["code"]) == (403, "download_link_expired")


async def test_a_tampered_link_is_refused_and_a_deleted_file_is_404() -> None:
    client, container, _ = build_client()
    storage = await container.get(FileStorage)
    await storage.put("a/one.zip", b"one")
    await storage.put("a/two.zip", b"two")
    one = urlsplit(await storage.signed_url("a/one.zip", expires_in=timedelta(minutes=5))).path
    two = urlsplit(await storage.signed_url("a/two.zip", expires_in=timedelta(minutes=5))).path
    payload_of_two, mac_of_one = two.rsplit("/", 1)[1].split(".")[0], one.split(".")[1]
    async with client:
        swapped = await client.get(f"/files/{payload_of_two}.{mac_of_one}")
        garbage = await client.get("/files/not-a-token")
        await storage.delete("a/one.zip")
        gone = await client.get(one)
    assert (swapped.status_code, swapped.json()["code"]) == (403, "download_link_invalid")
    assert swapped.headers["content-type"] == "application/problem+json"
    assert (garbage.status_code, garbage.json()["code"]) == (403, "download_link_invalid")
    assert gone.status_code == 404


async def test_the_signing_keys_verify_what_the_registry_signed() -> None:
    client, container, _ = build_client()
    signature = (await container.get(ArtifactSigner)).sign(PACKAGE)
    async with client:
        response = await client.get("/api/extensions/signing-keys")
    assert response.status_code == 200
    keys = {key["kid"]: key for key in response.json()["keys"]}
    key = keys[signature.key_id]
    assert (key["alg"], key["status"]) == ("Ed25519", "active")
    raw_key = base64.urlsafe_b64decode(key["public_key"] + "==")
    raw_signature = base64.urlsafe_b64decode(signature.signature + "==")
    Ed25519PublicKey.from_public_bytes(raw_key).verify(raw_signature, hashlib.sha256(PACKAGE).digest())


async def test_a_file_of_one_chunk_downloads_whole_with_its_headers() -> None:
    client, container, _ = build_client()
    storage = await container.get(FileStorage)
    await storage.put("a/small.vsix", b"PK\x03\x04small")
    url = await storage.signed_url("a/small.vsix", expires_in=timedelta(minutes=5), filename="small.vsix")
    async with client:
        response = await client.get(urlsplit(url).path)
    assert (response.status_code, response.content) == (200, b"PK\x03\x04small")
    assert response.headers["content-length"] == "9"
    assert response.headers["content-disposition"].startswith('attachment; filename="small.vsix"')
    assert (response.headers["cache-control"], response.headers["x-content-type-options"]) == (
        "private, no-store",
        "nosniff",
    )
    assert response.headers["content-type"] == "application/octet-stream"
