"""Opening a signed link's file: the blob it names, with its offered name and size; a bad or
expired link opens nothing, and a deleted file opens as gone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.file_storage import InMemoryFileStorage
from devforge.adapters.security.hmac_download_links import HmacDownloadLinks
from devforge.application.common.download_links import DownloadLinkInvalid
from devforge.application.common.open_download import OpenDownload

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
LINKS = HmacDownloadLinks(b"a-secret-of-enough-length", "https://devforge.test/")

pytestmark = pytest.mark.asyncio


def token_for(key: str, filename: str | None = None) -> str:
    return LINKS.url(key, expires_at=NOW + timedelta(minutes=5), filename=filename).rsplit("/", 1)[1]


async def test_a_link_opens_its_one_file_until_it_expires_and_a_deleted_file_is_gone() -> None:
    clock, storage = ManualClock(NOW), InMemoryFileStorage()
    await storage.put("ext/a.vsix", b"x" * 10)
    open_download = OpenDownload(LINKS, storage, clock)
    opened = await open_download(token_for("ext/a.vsix", "a-1.0.0.vsix"), chunk_bytes=4)
    assert opened is not None and (opened.filename, opened.size) == ("a-1.0.0.vsix", 10)
    assert [chunk async for chunk in opened.chunks] == [b"xxxx", b"xxxx", b"xx"]
    with pytest.raises(DownloadLinkInvalid) as tampered:
        await open_download(token_for("ext/a.vsix")[:-2] + "AA", chunk_bytes=4)
    assert not tampered.value.expired
    await storage.delete("ext/a.vsix")
    assert await open_download(token_for("ext/a.vsix"), chunk_bytes=4) is None
    clock.advance(timedelta(minutes=5))
    with pytest.raises(DownloadLinkInvalid) as expired:
        await open_download(token_for("ext/a.vsix"), chunk_bytes=4)
    assert expired.value.expired
