"""The ``FileStorage`` contract, run on the in-memory storage, the local disk and S3 (moto's
server), plus the local disk's own rule: no key reaches outside its root."""

from __future__ import annotations

import asyncio
import hashlib
import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.file_storage import InMemoryFileStorage
from devforge.adapters.security.hmac_download_links import HmacDownloadLinks
from devforge.adapters.storage.local_disk_file_storage import LocalDiskFileStorage
from devforge.adapters.storage.s3_file_storage import S3FileStorage
from devforge.application.common.file_storage import BlobNotFound, BlobTooLarge, FileStorage
from tests.fakes.s3 import MotoS3, moto_s3, s3_storage

__all__ = ["moto_s3"]  # the session fixture, imported so pytest finds it

Storage = InMemoryFileStorage | LocalDiskFileStorage | S3FileStorage
LINKS = HmacDownloadLinks(b"download-links-secret-for-tests", "https://dl.example.test")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
MIB = 1024 * 1024


@pytest.fixture(params=["memory", "local_disk", "s3"])
async def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    if request.param == "memory":
        return InMemoryFileStorage(LINKS, ManualClock(NOW))
    if request.param == "local_disk":
        return LocalDiskFileStorage(tmp_path / "blobs", LINKS, ManualClock(NOW))
    moto: MotoS3 = request.getfixturevalue("moto_s3")
    return await s3_storage(moto, part_bytes=5 * MIB)


async def chunks_of(data: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def download(storage: FileStorage, url: str) -> tuple[bytes, str | None]:
    """What a client holding the signed URL gets: the bytes and the Content-Disposition."""
    if url.startswith("https://dl.example.test/files/"):
        grant = LINKS.redeem(urlsplit(url).path.rsplit("/", 1)[1], NOW)
        return b"".join([chunk async for chunk in storage.stream(grant.key)]), grant.filename
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
    response.raise_for_status()
    return response.content, response.headers.get("content-disposition")


async def test_a_missing_key_reads_as_none(storage: Storage) -> None:
    assert await storage.get("releases/1.0/editor.zip") is None


async def test_a_blob_reads_back_byte_for_byte(storage: Storage) -> None:
    data = bytes(range(256)) * 64
    await storage.put("releases/1.0/editor.zip", data, content_type="application/zip")
    assert await storage.get("releases/1.0/editor.zip") == data


async def test_an_empty_blob_is_stored_not_missing(storage: Storage) -> None:
    await storage.put("empty.txt", b"")
    assert await storage.get("empty.txt") == b""


async def test_a_second_put_replaces_the_blob(storage: Storage) -> None:
    await storage.put("a/b.bin", b"a much longer first version")
    await storage.put("a/b.bin", b"short")
    assert await storage.get("a/b.bin") == b"short"


async def test_the_stored_blob_does_not_follow_later_changes_to_the_callers_buffer(storage: Storage) -> None:
    buffer = bytearray(b"original")
    await storage.put("k.bin", buffer)  # type: ignore[arg-type]
    buffer[:] = b"changed!"
    assert await storage.get("k.bin") == b"original"


async def test_delete_removes_only_that_blob_and_a_missing_key_is_fine(storage: Storage) -> None:
    await storage.put("a/one.bin", b"1")
    await storage.put("a/two.bin", b"2")
    await storage.delete("a/one.bin")
    await storage.delete("a/one.bin")
    await storage.delete("never/was.bin")
    assert (await storage.get("a/one.bin"), await storage.get("a/two.bin")) == (None, b"2")


async def test_a_prefix_of_stored_keys_is_not_a_blob(storage: Storage) -> None:
    await storage.put("a/b/c.zip", b"zip")
    await storage.delete("a/b")
    assert await storage.get("a/b") is None
    assert await storage.get("a/b/c.zip") == b"zip"


async def test_concurrent_writers_leave_one_whole_blob(storage: Storage) -> None:
    versions = [bytes([i]) * 100_000 for i in range(8)]
    await asyncio.gather(*(storage.put("race.bin", v) for v in versions))
    assert await storage.get("race.bin") in versions


async def test_a_streamed_upload_reads_back_with_its_size_and_sha256(storage: Storage) -> None:
    data = os.urandom(300_000)
    stored = await storage.put_stream("up/a.zip", chunks_of(data, 7_001), max_bytes=len(data))
    assert (stored.key, stored.size, stored.sha256) == ("up/a.zip", len(data), hashlib.sha256(data).hexdigest())
    assert await storage.get("up/a.zip") == data
    assert (await storage.size("up/a.zip"), await storage.exists("up/a.zip")) == (len(data), True)


async def test_a_streamed_upload_of_several_parts_lands_whole(storage: Storage) -> None:
    data = os.urandom(11 * MIB + 123)  # three S3 parts at 5 MiB
    stored = await storage.put_stream("big/pkg.zip", chunks_of(data, MIB // 3), max_bytes=20 * MIB)
    assert stored.size == len(data)
    assert hashlib.sha256(await storage.get("big/pkg.zip") or b"").hexdigest() == stored.sha256


async def test_an_upload_over_the_cap_is_refused_and_leaves_nothing(storage: Storage) -> None:
    data = os.urandom(6 * MIB)
    with pytest.raises(BlobTooLarge) as refused:
        await storage.put_stream("cap/pkg.zip", chunks_of(data, MIB), max_bytes=5 * MIB + 1)
    assert refused.value.max_bytes == 5 * MIB + 1
    assert (await storage.exists("cap/pkg.zip"), await storage.get("cap/pkg.zip")) == (False, None)


async def test_an_upload_over_the_cap_keeps_the_older_blob(storage: Storage) -> None:
    await storage.put("cap/old.zip", b"old")
    with pytest.raises(BlobTooLarge):
        await storage.put_stream("cap/old.zip", chunks_of(b"x" * 100, 10), max_bytes=50)
    assert await storage.get("cap/old.zip") == b"old"


async def test_an_upload_whose_source_fails_leaves_nothing(storage: Storage) -> None:
    async def broken() -> AsyncIterator[bytes]:
        yield b"x" * 1000
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        await storage.put_stream("broken.zip", broken(), max_bytes=MIB)
    assert not await storage.exists("broken.zip")


async def test_an_upload_at_exactly_the_cap_is_accepted(storage: Storage) -> None:
    stored = await storage.put_stream("cap/exact.bin", chunks_of(b"y" * 64, 8), max_bytes=64)
    assert stored.size == 64


async def test_stream_reads_in_chunks_and_a_missing_key_raises(storage: Storage) -> None:
    data = os.urandom(200_000)
    await storage.put("s/blob.bin", data)
    pieces = [chunk async for chunk in storage.stream("s/blob.bin", chunk_size=65_536)]
    assert b"".join(pieces) == data
    assert all(len(piece) <= 65_536 for piece in pieces)
    with pytest.raises(BlobNotFound):
        _ = [chunk async for chunk in storage.stream("s/missing.bin")]


@pytest.mark.parametrize("size", [0, 1, 4_095, 4_096, 4_097, 3 * 4_096])
async def test_stream_reads_a_blob_of_any_size_at_a_chunks_edge_whole(storage: Storage, size: int) -> None:
    data = os.urandom(size)
    await storage.put("s/edge.bin", data)
    pieces = [chunk async for chunk in storage.stream("s/edge.bin", chunk_size=4_096)]
    assert b"".join(pieces) == data and all(0 < len(piece) <= 4_096 for piece in pieces)


async def test_a_local_file_holds_the_blob_for_the_block_and_leaves_the_store_as_it_was(storage: Storage) -> None:
    data = os.urandom(3 * MIB + 17)  # past the spool's write batch
    await storage.put("s/package.zip", data)
    async with storage.local_file("s/package.zip") as path:
        assert path is not None and path.read_bytes() == data
    assert await storage.get("s/package.zip") == data
    if not isinstance(storage, LocalDiskFileStorage):  # a copy: gone with the block
        assert not path.exists()
    async with storage.local_file("s/missing.zip") as missing:
        assert missing is None


async def test_size_and_exists_of_a_missing_key(storage: Storage) -> None:
    assert (await storage.size("nope.bin"), await storage.exists("nope.bin")) == (None, False)


async def test_a_signed_url_downloads_the_blob_under_the_given_file_name(storage: Storage) -> None:
    data = b"PK\x03\x04 an extension"
    await storage.put("ext/acme/1.0.0/acme.vsix", data, content_type="application/zip")
    url = await storage.signed_url(
        "ext/acme/1.0.0/acme.vsix", expires_in=timedelta(minutes=5), filename="acme-1.0.0.vsix"
    )
    assert url.startswith(("https://", "http://"))
    body, disposition = await download(storage, url)
    assert body == data
    assert disposition is not None and "acme-1.0.0.vsix" in disposition


async def test_signed_urls_differ_per_key(storage: Storage) -> None:
    urls = [await storage.signed_url(key, expires_in=timedelta(minutes=1)) for key in ("a/1.bin", "a/2.bin")]
    assert len(set(urls)) == 2


async def test_local_disk_leaves_no_temp_file_after_a_refused_upload(tmp_path: Path) -> None:
    storage = LocalDiskFileStorage(tmp_path)
    with pytest.raises(BlobTooLarge):
        await storage.put_stream("a/pkg.zip", chunks_of(b"z" * (3 * MIB), MIB // 2), max_bytes=2 * MIB)
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


async def test_s3_aborts_the_multipart_upload_of_a_refused_upload(moto_s3: MotoS3) -> None:
    storage = await s3_storage(moto_s3, part_bytes=5 * MIB)
    with pytest.raises(BlobTooLarge):
        await storage.put_stream("big.zip", chunks_of(os.urandom(12 * MIB), MIB), max_bytes=11 * MIB)
    client, bucket = moto_s3.client(), storage.bucket
    assert client.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    assert client.list_objects_v2(Bucket=bucket).get("KeyCount") == 0


UNSAFE_KEYS = [
    "",
    "/etc/passwd",
    "../outside.txt",
    "a/../../outside.txt",
    "a/..",
    "..",
    ".",
    "a/./b",
    "a//b",
    "a/",
    "a\\..\\b",
    "a\x00b",
]


@pytest.mark.parametrize("key", UNSAFE_KEYS)
async def test_local_disk_refuses_unsafe_keys_for_every_operation(key: str, tmp_path: Path) -> None:
    storage = LocalDiskFileStorage(tmp_path / "blobs")
    with pytest.raises(ValueError, match="Unsafe"):
        await storage.put(key, b"x")
    with pytest.raises(ValueError, match="Unsafe"):
        await storage.get(key)
    with pytest.raises(ValueError, match="Unsafe"):
        await storage.delete(key)
    assert list(tmp_path.iterdir()) == []


async def test_local_disk_leaves_only_the_blob_behind_after_writes(tmp_path: Path) -> None:
    storage = LocalDiskFileStorage(tmp_path)
    await storage.put("a/b.bin", b"1")
    await storage.put("a/b.bin", b"2")
    assert os.listdir(tmp_path / "a") == ["b.bin"]
    assert (tmp_path / "a" / "b.bin").read_bytes() == b"2"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.text(alphabet=st.sampled_from("ab./\\\x00é"), max_size=12))
async def test_local_disk_keeps_every_accepted_key_inside_its_root(key: str, tmp_path: Path) -> None:
    root = tmp_path / uuid.uuid4().hex
    storage = LocalDiskFileStorage(root)
    try:
        await storage.put(key, b"x")
    except ValueError:
        assert not root.exists()
        return
    written = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert [path.resolve().is_relative_to(root.resolve()) for path in written] == [True]
    assert await storage.get(key) == b"x"
    await storage.delete(key)
