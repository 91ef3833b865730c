"""File storage on S3 (or anything speaking its API: MinIO, moto in tests).

boto3 blocks, so every call runs in a worker thread (``asyncio.to_thread``); the event loop
never waits on the network. A streamed upload is buffered up to one part: small blobs go up in
one ``PutObject``, bigger ones as a multipart upload that is aborted on any failure, the size
cap included, so nothing half-written is ever visible under the key. Downloads are presigned
``GetObject`` URLs, the file name carried in ``response-content-disposition``.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterable, AsyncIterator
from contextlib import AbstractAsyncContextManager, suppress
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from devforge.adapters.storage.spool import spooled
from devforge.application.common.download_links import attachment_disposition
from devforge.application.common.file_storage import (
    DEFAULT_CONTENT_TYPE,
    BlobNotFound,
    BlobTooLarge,
    StoredBlob,
)

PART_BYTES = 8 * 1024 * 1024  # S3's minimum part is 5 MiB (except the last one)
MISSING = ("404", "NoSuchKey", "NotFound")


def make_s3_client(
    *,
    region: str,
    endpoint_url: str | None = None,
    access_key_id: str | None = None,
    secret_access_key: str | None = None,
) -> Any:
    """Credentials come from the usual AWS chain (environment, profile, instance role) unless given."""
    config = Config(
        region_name=region,
        signature_version="s3v4",
        retries={"max_attempts": 3, "mode": "standard"},
        connect_timeout=5,
        read_timeout=30,
        s3={"addressing_style": "path" if endpoint_url else "auto"},
    )
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url or None,
        aws_access_key_id=access_key_id or None,
        aws_secret_access_key=secret_access_key or None,
        config=config,
    )


class S3FileStorage:
    def __init__(self, client: Any, bucket: str, *, part_bytes: int = PART_BYTES) -> None:
        self._s3 = client
        self._bucket = bucket
        self._part_bytes = part_bytes

    def __repr__(self) -> str:
        return f"S3FileStorage(bucket={self._bucket!r})"

    @property
    def bucket(self) -> str:
        return self._bucket

    async def put(self, key: str, data: bytes, content_type: str = DEFAULT_CONTENT_TYPE) -> None:
        await self._call("put_object", Key=_checked(key), Body=bytes(data), ContentType=content_type)

    async def put_stream(
        self,
        key: str,
        chunks: AsyncIterable[bytes],
        *,
        max_bytes: int,
        content_type: str = DEFAULT_CONTENT_TYPE,
    ) -> StoredBlob:
        _checked(key)
        digest, size, batch, batched = hashlib.sha256(), 0, list[bytes](), 0
        upload: _Multipart | None = None
        try:
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise BlobTooLarge(key, max_bytes)
                batch.append(chunk)  # the chunk itself: hashing and joining happen off the loop
                batched += len(chunk)
                if batched >= self._part_bytes:  # a part of at least part_bytes (S3: 5 MiB but the last)
                    part = await asyncio.to_thread(_hashed_join, digest, batch)
                    batch, batched = [], 0
                    if upload is None:
                        upload = await self._start_multipart(key, content_type)
                    await upload.send(part)
            rest = await asyncio.to_thread(_hashed_join, digest, batch)
            if upload is None:
                await self._call("put_object", Key=key, Body=rest, ContentType=content_type)
            else:
                if rest:
                    await upload.send(rest)
                await upload.complete()
        except BaseException:
            if upload is not None:
                await asyncio.shield(upload.abort())
            raise
        return StoredBlob(key, size, digest.hexdigest())

    async def get(self, key: str) -> bytes | None:
        try:
            response = await self._call("get_object", Key=_checked(key))
        except ClientError as error:
            if _missing(error):
                return None
            raise
        body = response["Body"]
        try:
            return bytes(await asyncio.to_thread(body.read))
        finally:
            body.close()

    async def stream(self, key: str, chunk_size: int = 65_536) -> AsyncIterator[bytes]:
        try:
            response = await self._call("get_object", Key=_checked(key))
        except ClientError as error:
            if _missing(error):
                raise BlobNotFound(key) from None
            raise
        body = response["Body"]
        try:
            while chunk := await asyncio.to_thread(body.read, chunk_size):
                yield chunk
        finally:
            body.close()

    def local_file(self, key: str) -> AbstractAsyncContextManager[Path | None]:
        """A private temporary copy, streamed from the bucket."""
        return spooled(self.stream(key))

    async def size(self, key: str) -> int | None:
        try:
            head = await self._call("head_object", Key=_checked(key))
        except ClientError as error:
            if _missing(error):
                return None
            raise
        return int(head["ContentLength"])

    async def exists(self, key: str) -> bool:
        return await self.size(key) is not None

    async def delete(self, key: str) -> None:
        await self._call("delete_object", Key=_checked(key))

    async def signed_url(self, key: str, *, expires_in: timedelta, filename: str | None = None) -> str:
        params: dict[str, str] = {"Bucket": self._bucket, "Key": _checked(key)}
        if filename:
            params["ResponseContentDisposition"] = attachment_disposition(filename)
        seconds = max(1, int(expires_in.total_seconds()))
        url = await asyncio.to_thread(self._s3.generate_presigned_url, "get_object", Params=params, ExpiresIn=seconds)
        return str(url)

    async def ensure_bucket(self) -> None:
        """Create the bucket when missing (development and tests; production buckets are provisioned)."""
        try:
            await self._call("head_bucket")
        except ClientError:
            region = self._s3.meta.region_name
            if region and region != "us-east-1":
                await self._call("create_bucket", CreateBucketConfiguration={"LocationConstraint": region})
            else:
                await self._call("create_bucket")

    async def _start_multipart(self, key: str, content_type: str) -> _Multipart:
        created = await self._call("create_multipart_upload", Key=key, ContentType=content_type)
        return _Multipart(self, key, created["UploadId"])

    async def _call(self, operation: str, **params: Any) -> Any:
        method = getattr(self._s3, operation)
        return await asyncio.to_thread(method, Bucket=self._bucket, **params)


class _Multipart:
    def __init__(self, storage: S3FileStorage, key: str, upload_id: str) -> None:
        self._storage = storage
        self._key = key
        self._id = upload_id
        self._parts: list[dict[str, Any]] = []

    async def send(self, data: bytes) -> None:
        number = len(self._parts) + 1
        sent = await self._storage._call("upload_part", Key=self._key, UploadId=self._id, PartNumber=number, Body=data)
        self._parts.append({"PartNumber": number, "ETag": sent["ETag"]})

    async def complete(self) -> None:
        await self._storage._call(
            "complete_multipart_upload", Key=self._key, UploadId=self._id, MultipartUpload={"Parts": self._parts}
        )

    async def abort(self) -> None:
        # What this cannot abort, S3's lifecycle rule for incomplete uploads cleans up.
        with suppress(ClientError):
            await self._storage._call("abort_multipart_upload", Key=self._key, UploadId=self._id)


def _hashed_join(digest: hashlib._Hash, batch: list[bytes]) -> bytes:
    """In a worker thread: SHA-256 and the copy that joins a part are every byte of an upload,
    work the event loop's other requests should not wait behind."""
    for chunk in batch:
        digest.update(chunk)
    return b"".join(batch)


def _checked(key: str) -> str:
    if not key or key.startswith("/") or "\x00" in key or len(key.encode("utf-8")) > 1024:
        raise ValueError(f"Unsafe file storage key: {key!r}.")
    return key


def _missing(error: ClientError) -> bool:
    return str(error.response.get("Error", {}).get("Code")) in MISSING
