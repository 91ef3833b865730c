"""moto's S3 server on a free local port, once per test session.

Import the ``moto_s3`` fixture into a test module (``from tests.fakes.s3 import moto_s3``) and
get an ``S3FileStorage`` on a fresh bucket with ``s3_storage(moto_s3)``."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from moto.server import ThreadedMotoServer

from devforge.adapters.storage.s3_file_storage import S3FileStorage, make_s3_client
from tests.fakes.ports import free_port

REGION = "eu-central-1"


@dataclass(frozen=True)
class MotoS3:
    endpoint_url: str

    def client(self) -> Any:
        return make_s3_client(
            region=REGION, endpoint_url=self.endpoint_url, access_key_id="testing", secret_access_key="testing"
        )


@pytest.fixture(scope="session")
def moto_s3() -> Iterator[MotoS3]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield MotoS3(f"http://127.0.0.1:{port}")
    finally:
        server.stop()


async def s3_storage(moto: MotoS3, *, part_bytes: int | None = None) -> S3FileStorage:
    """A storage on a new bucket, so tests sharing the server never see each other's blobs."""
    options = {} if part_bytes is None else {"part_bytes": part_bytes}
    storage = S3FileStorage(moto.client(), f"test-{uuid.uuid4().hex[:20]}", **options)
    await storage.ensure_bucket()
    return storage
