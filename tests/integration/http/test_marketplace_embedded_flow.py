"""The whole marketplace flow over HTTP on SQLite with the built-in malware scanner and an Ed25519
registry key on disk, with the packages on local disk (the embedded profile, downloads through
the service's signed links) and on moto's S3 server (presigned URLs). Upload -> review (the
worker) -> approve -> search -> download, then the downloaded bytes are checked against the
SHA-256 and the registry's signature, and by the client's offline verifier against the signed
manifest of its identity."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from dishka import Provider, Scope
from litestar.testing import AsyncTestClient

from devforge.application.common.file_storage import FileStorage
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.providers.access import SqlaAccessProvider
from devforge.bootstrap.providers.account_recovery import SqlaOneTimeTokenProvider
from devforge.bootstrap.providers.authentication import SqlaAuthenticationProvider
from devforge.bootstrap.providers.identity import SqlaIdentityProvider
from devforge.bootstrap.providers.marketplace import SqlaMarketplaceProvider
from devforge.bootstrap.providers.marketplace_adapters import RegistrySignerProvider
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from devforge.bootstrap.providers.services import LocalDiskStorageProvider
from devforge.client.artifact_verifier import ArtifactInvalid, load_signing_keys, verify_artifact
from devforge.entrypoints.http.app import create_app
from tests.conftest import settings_for_tests
from tests.fakes.s3 import moto_s3, s3_storage  # noqa: F401  (moto_s3 is a fixture)
from tests.integration.backends import sqlite_database
from tests.integration.http.marketplace_steps import open_studio
from tests.unit.marketplace.corpus import clean_package


@pytest.mark.parametrize("storage", ["local", "s3"])
async def test_upload_review_approve_search_and_a_verified_download(
    tmp_path: Path, storage: str, request: pytest.FixtureRequest
) -> None:
    storage_provider: Provider = LocalDiskStorageProvider()
    if storage == "s3":
        blobs = await s3_storage(request.getfixturevalue("moto_s3"))
        storage_provider = Provider(scope=Scope.APP)
        storage_provider.provide(lambda: blobs, provides=FileStorage)
    async with sqlite_database(tmp_path) as url:
        settings = settings_for_tests(database_url=url, data_dir=str(tmp_path / "var"))
        container = make_container(
            settings,
            SqlaPersistenceProvider(),
            SqlaIdentityProvider(),
            SqlaAccessProvider(),
            SqlaOneTimeTokenProvider(),
            SqlaAuthenticationProvider(),
            SqlaMarketplaceProvider(),
            RegistrySignerProvider(),
            storage_provider,
            base=memory_providers(),
        )
        async with AsyncTestClient(app=create_app(container, settings)) as client:
            studio = await open_studio(client, container)
            archive = clean_package()
            uploaded = await studio.upload(archive)
            assert uploaded.status_code == 202, uploaded.text
            if storage == "local":
                assert list((tmp_path / "var" / "files").rglob("*.zip")), "the package is on local disk"

            await studio.work()
            review = await studio.review()
            assert review["state"] == "passed", review
            malware = next(check for check in review["checks"] if check["check"] == "malware")
            assert malware["outcome"] == "passed" and "builtin" in malware["message"]
            assert (await studio.decide("approve")).json()["state"] == "approved"
            await studio.work()  # the listing's consumer

            (item,) = (await client.get("/api/extensions", params={"q": "brackets"})).json()["items"]
            assert item["id"] == studio.extension_id

            download = (await client.get(f"/api/extensions/{studio.extension_id}/download")).json()
            if storage == "local":  # the service's own signed link
                link = urlsplit(download["url"])
                fetched = await client.get(link.path + (f"?{link.query}" if link.query else ""))
            else:  # a presigned URL straight to the bucket
                async with httpx.AsyncClient() as outside:
                    fetched = await outside.get(download["url"])
            assert fetched.status_code == 200, fetched.text
            digest = hashlib.sha256(fetched.content).hexdigest()
            assert fetched.content == archive and digest == download["sha256"] == uploaded.json()["sha256"]

            keys = (await client.get("/api/extensions/signing-keys")).json()["keys"]
            key = next(entry for entry in keys if entry["kid"] == download["signingKeyId"])
            public = Ed25519PublicKey.from_public_bytes(b64(key["public_key"]))
            public.verify(b64(download["signature"]), bytes.fromhex(digest))  # raises if forged
            signing_keys = load_signing_keys((await client.get("/api/extensions/signing-keys")).text)
            identity = {"publisher": "acme", "extension": "rainbow-brackets", "version": download["version"]}
            manifest = verify_artifact(
                fetched.content,
                manifest=download["manifest"],
                signature=download["manifestSignature"],
                public_keys=signing_keys,
                **identity,
            )
            assert manifest["sha256"] == digest
            with pytest.raises(ArtifactInvalid, match="another version"):
                verify_artifact(
                    fetched.content,
                    manifest=download["manifest"],
                    signature=download["manifestSignature"],
                    public_keys=signing_keys,
                    **identity | {"version": "9.9.9"},
                )
        await container.close()


def b64(text: str) -> bytes:
    """Standard or URL-safe base64, padded or not."""
    return base64.urlsafe_b64decode(text.replace("+", "-").replace("/", "_") + "=" * (-len(text) % 4))
