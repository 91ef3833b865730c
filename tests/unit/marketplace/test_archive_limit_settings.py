"""The archive's unpacked limits come from settings: a package just over the configured total is
refused naming the limit, one exactly at it passes, and the settings refuse limits that mean nothing.
The bomb defences (ratio, entry count, nesting) do not move with these limits: test_archive_safety.py."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from devforge.adapters.memory.clock import ManualClock
from devforge.bootstrap.settings import SettingsError, load_settings
from devforge.bootstrap.settings.marketplace import MarketplaceSettings
from devforge.domain.marketplace.archive_safety import DEFAULT_LIMITS, MIB

from .world import Market, Outside, marketplace_container
from .zips import clean_files

LIMIT = 2 * MIB
BLOB = "extension/media/blob.bin"


def package_unpacking_to(total: int) -> bytes:
    """The clean package plus a stored (uncompressed, so never a ratio finding) file of zeros
    making its files unpack to exactly ``total`` bytes."""
    files = clean_files()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(path, data)
        archive.writestr(BLOB, bytes(total - sum(map(len, files.values()))), zipfile.ZIP_STORED)
    return buffer.getvalue()


@pytest.mark.parametrize(("total", "outcome"), [(LIMIT, "passed"), (LIMIT + 1, "failed")])
async def test_the_configured_total_is_the_limit(
    clock: ManualClock, outside: Outside, total: int, outcome: str
) -> None:
    container = marketplace_container(
        clock, outside, marketplace_max_unpacked_bytes=LIMIT, marketplace_max_entry_bytes=LIMIT
    )
    market = Market(container, outside)
    try:
        extension_id = await market.extension(await market.publisher())
        await market.upload(extension_id, package_unpacking_to(total))
        await market.run_reviews()
        (check,) = [check for check in (await market.review(extension_id)).checks if check.check == "archive_safety"]
        assert check.outcome == outcome
        if outcome == "failed":
            assert [finding.rule for finding in check.findings] == ["archive_too_large"]
            assert "the limit is 2.0 MiB" in check.message
    finally:
        await container.close()


def test_the_defaults_let_an_editor_sized_extension_through(tmp_path: Path) -> None:
    marketplace = load_settings({"DEVFORGE_DATA_DIR": str(tmp_path)}).section(MarketplaceSettings)
    assert marketplace.archive_limits == DEFAULT_LIMITS
    assert DEFAULT_LIMITS.max_total_size == 256 * MIB and DEFAULT_LIMITS.max_entry_size == 64 * MIB
    assert DEFAULT_LIMITS.max_ratio == 100 and DEFAULT_LIMITS.max_entries == 10_000  # the bomb defences stay


def test_settings_read_the_limits_from_the_environment(tmp_path: Path) -> None:
    environ = {
        "DEVFORGE_DATA_DIR": str(tmp_path),
        "DEVFORGE_MARKETPLACE_MAX_UNPACKED_BYTES": "1048576",
        "DEVFORGE_MARKETPLACE_MAX_ENTRY_BYTES": "65536",
    }
    limits = load_settings(environ).section(MarketplaceSettings).archive_limits
    assert (limits.max_total_size, limits.max_entry_size) == (MIB, 65536)


@pytest.mark.parametrize(
    ("environ", "words"),
    [
        ({"DEVFORGE_MARKETPLACE_MAX_UNPACKED_BYTES": "0"}, "DEVFORGE_MARKETPLACE_MAX_UNPACKED_BYTES"),
        ({"DEVFORGE_MARKETPLACE_MAX_ENTRY_BYTES": "-1"}, "DEVFORGE_MARKETPLACE_MAX_ENTRY_BYTES"),
        (
            {"DEVFORGE_MARKETPLACE_MAX_UNPACKED_BYTES": "1048576", "DEVFORGE_MARKETPLACE_MAX_ENTRY_BYTES": "2097152"},
            "must not exceed DEVFORGE_MARKETPLACE_MAX_UNPACKED_BYTES",
        ),
    ],
)
def test_settings_refuse_limits_that_mean_nothing(tmp_path: Path, environ: dict[str, str], words: str) -> None:
    with pytest.raises(SettingsError, match=words):
        load_settings({"DEVFORGE_DATA_DIR": str(tmp_path), **environ})
