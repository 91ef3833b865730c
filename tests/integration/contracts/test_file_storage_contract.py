"""The ``FileStorage`` contract, run on the in-memory storage and on the local disk, plus the
local disk's own rule: no key reaches outside its root."""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devforge.adapters.memory.file_storage import InMemoryFileStorage
from devforge.adapters.storage.local_disk_file_storage import LocalDiskFileStorage

Storage = InMemoryFileStorage | LocalDiskFileStorage


@pytest.fixture(params=["memory", "local_disk"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    if request.param == "memory":
        return InMemoryFileStorage()
    return LocalDiskFileStorage(tmp_path / "blobs")


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
