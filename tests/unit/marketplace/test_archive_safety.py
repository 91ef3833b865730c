"""Archive safety: every hostile archive is refused with a reason the publisher can act on."""

from __future__ import annotations

import gzip
import io
import tracemalloc
import zipfile

import pytest

from devforge.domain.marketplace.archive_safety import (
    DEFAULT_LIMITS,
    MIB,
    ArchiveLimits,
    ArchiveSafetyCheck,
    inspect_archive,
    read_entries,
)
from devforge.domain.marketplace.errors import ArchiveUnsafe
from devforge.domain.marketplace.package import ExtensionPackage
from devforge.domain.marketplace.review import CheckOutcome

from .zips import SYMLINK_MODE, RawEntry, build_zip, clean_files, raw_zip, zeros_deflated


def rules(archive: bytes, limits: ArchiveLimits = DEFAULT_LIMITS) -> set[str]:
    return {finding.rule for finding in inspect_archive(archive, limits)}


def test_a_clean_package_passes_and_its_files_can_be_read() -> None:
    archive = build_zip(clean_files())
    result = ArchiveSafetyCheck().run(ExtensionPackage(archive))
    assert result.outcome is CheckOutcome.PASSED and result.findings == ()
    assert read_entries(io.BytesIO(archive)) == clean_files()  # a binary file object works too


@pytest.mark.parametrize(
    ("name", "rule", "words"),
    [
        ("../evil.js", "path_traversal", "path traversal"),
        ("extension/../../etc/cron.d/x", "path_traversal", "'..'"),
        ("extension\\..\\..\\evil.js", "path_traversal", "'..'"),
        ("/abs/evil.js", "absolute_path", "absolute path"),
        ("\\abs\\evil.js", "absolute_path", "absolute path"),
        ("C:\\x", "absolute_path", "absolute path"),
        ("c:/Windows/evil.dll", "absolute_path", "absolute path"),
        ("extension\\out\\x.js", "backslash_path", "forward slashes"),
    ],
)
def test_paths_that_escape_the_package_folder_are_refused(name: str, rule: str, words: str) -> None:
    result = ArchiveSafetyCheck().run(ExtensionPackage(raw_zip([RawEntry("extension/package.json"), RawEntry(name)])))
    assert result.outcome is CheckOutcome.FAILED
    assert [finding.rule for finding in result.findings] == [rule]
    assert name in result.publisher_message and words in result.publisher_message


def test_a_symbolic_link_is_refused() -> None:
    archive = raw_zip([RawEntry("extension/link", b"/etc/passwd", mode=SYMLINK_MODE)])
    (finding,) = inspect_archive(archive)
    assert finding.rule == "symlink" and "symbolic link" in finding.message and finding.path == "extension/link"


def test_an_encrypted_entry_is_refused() -> None:
    (finding,) = inspect_archive(raw_zip([RawEntry("extension/secret.js", flag_bits=0x1)]))
    assert finding.rule == "encrypted_entry" and "encrypted" in finding.message


def test_paths_differing_only_in_case_are_refused_and_exact_duplicates_too() -> None:
    (finding,) = inspect_archive(raw_zip([RawEntry("A.js"), RawEntry("a.js")]))
    assert finding.rule == "duplicate_path" and "'a.js' and 'A.js' differ only in letter case" in finding.message
    (twice,) = inspect_archive(raw_zip([RawEntry("b.js"), RawEntry("b.js")]))
    assert "appears twice" in twice.message


def test_compression_other_than_deflate_or_store_is_refused() -> None:
    assert rules(raw_zip([RawEntry("x.js", method=zipfile.ZIP_BZIP2)])) == {"unsupported_compression"}


def test_something_that_is_not_a_zip_is_refused() -> None:
    (finding,) = inspect_archive(b"MZ\x90\x00 definitely not a zip")
    assert finding.rule == "not_a_zip"
    with pytest.raises(ArchiveUnsafe, match="not a readable zip"):
        read_entries(b"")


def test_more_entries_than_allowed_is_refused_before_any_entry_is_read() -> None:
    archive = raw_zip([RawEntry(f"f{index}.js") for index in range(20_001)])
    (finding,) = inspect_archive(archive)
    assert finding.rule == "too_many_entries" and "20,001 entries; the limit is 10,000" in finding.message


@pytest.fixture(scope="module")
def zeros_200_mib() -> tuple[bytes, int]:
    return zeros_deflated(200)


def test_a_zip_bomb_is_caught_on_its_declared_size_and_ratio_without_expanding_it(
    zeros_200_mib: tuple[bytes, int],
) -> None:
    stream, crc = zeros_200_mib
    archive = raw_zip([RawEntry("bomb.bin", stream, zipfile.ZIP_DEFLATED, file_size=200 << 20, crc=crc)])
    tracemalloc.start()
    findings = inspect_archive(archive)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert {finding.rule for finding in findings} == {"entry_too_large", "compression_ratio"}
    assert any("expands more than 100-fold" in finding.message for finding in findings)
    assert peak < 2 << 20  # the 200 MiB were never allocated


def test_a_bomb_under_every_size_limit_is_still_caught_by_its_ratio(zeros_200_mib: tuple[bytes, int]) -> None:
    """The size limits are generous (an editor-sized extension passes); the ratio does not move with them."""
    stream, crc = zeros_200_mib
    roomy = ArchiveLimits(max_total_size=1024 * MIB, max_entry_size=512 * MIB)
    archive = raw_zip([RawEntry("bomb.bin", stream, zipfile.ZIP_DEFLATED, file_size=200 << 20, crc=crc)])
    assert rules(archive, roomy) == {"compression_ratio"}
    lying = raw_zip([RawEntry("bomb.bin", stream, zipfile.ZIP_DEFLATED, file_size=50 << 10, crc=crc)])
    tracemalloc.start()
    (finding,) = inspect_archive(lying, roomy)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert finding.rule in {"corrupt_entry", "size_cap_exceeded"}
    assert peak < 2 << 20


def test_a_bomb_that_lies_about_its_size_is_stopped_by_the_streamed_read(zeros_200_mib: tuple[bytes, int]) -> None:
    stream, crc = zeros_200_mib
    lying = raw_zip([RawEntry("bomb.bin", stream, zipfile.ZIP_DEFLATED, file_size=1000, crc=crc)])
    tracemalloc.start()
    (finding,) = inspect_archive(lying)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert finding.rule == "corrupt_entry" and "declared size is false" in finding.message
    assert peak < 2 << 20


def test_read_entries_refuses_an_unsafe_archive_instead_of_yielding_files() -> None:
    with pytest.raises(ArchiveUnsafe, match="path traversal"):
        read_entries(raw_zip([RawEntry("../evil.js")]))


def test_nested_archives_within_the_limits_are_safe_and_their_files_are_read() -> None:
    inner = build_zip({"lib/a.js": b"exports.a = 1;\n"})
    archive = build_zip(clean_files({"extension/lib/deps.zip": inner, "extension/data.gz": gzip.compress(b"hello\n")}))
    package = ExtensionPackage(archive)
    assert package.findings == ()
    paths = [path for path, _ in package.text_files()]
    assert "extension/lib/deps.zip!/lib/a.js" in paths and "extension/data.gz!/" in paths


def test_a_zip_comment_is_part_of_the_zip_but_bytes_after_it_are_not() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.comment = b"built by vsce"
        for path, data in clean_files().items():
            archive.writestr(path, data)
    assert inspect_archive(buffer.getvalue()) == ()
    (finding,) = inspect_archive(buffer.getvalue() + b"#!/bin/sh\n")
    assert finding.rule == "data_after_zip" and "10 bytes after the end" in finding.message
