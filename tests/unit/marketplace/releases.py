"""Steps for channel, dist-tag and unpublish tests: publish a version of an extension whose
manifest may flag a pre-release or declare dependencies."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from devforge.application.marketplace.decide_version import DecideVersionHandler, Decision
from devforge.application.marketplace.reviewing import VersionSlot
from devforge.application.marketplace.show_review import ShowReview

from .world import Market
from .zips import build_zip, clean_files, manifest


def package(version: str = "1.2.0", name: str = "rainbow-brackets", **overrides: Any) -> bytes:
    document = manifest(version=version, name=name, **overrides)
    files = clean_files({"extension/package.json": json.dumps(document).encode()})
    files["extension/CHANGELOG.md"] += f"\n## [{version}]\n- More colours.\n".encode()
    return build_zip(files)


async def publish(
    market: Market,
    extension_id: UUID,
    version: str = "1.2.0",
    platform: str = "universal",
    name: str = "rainbow-brackets",
    **overrides: Any,
) -> None:
    """Upload, review and approve one version (the publisher is not verified: a reviewer approves)."""
    await market.upload(extension_id, package(version, name, **overrides), version=version, platform=platform)
    await market.run_reviews()
    slot = VersionSlot(extension_id, version, platform)
    review = await market.call(ShowReview, market.developer, slot)
    assert review.version.state.value == "passed", [check.message for check in review.checks]
    await market.call(DecideVersionHandler, market.reviewer, slot, Decision.APPROVE, "Looks good.")
