"""Auto-approval only when it is safe, and the reviewers' queue for everything else.

A verified publisher's clean version is approved at once only past the probation (a number of
approved versions, and the publisher's age); a finding of medium severity or higher sends any
version to a reviewer. The queue lists what waits, the longest waiting first, with how long and
what was found; it filters by severity, publisher and age. Decisions are kept with who and why,
the publisher sees a request for changes, and a reviewer never decides on their own publisher."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from uuid import UUID, uuid4

import pytest
from dishka import Provider, Scope

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.signature_scanner import InMemorySignatureScanner
from devforge.adapters.scanning.pattern_code_analyser import PatternCodeAnalyser
from devforge.adapters.spdx.license_expressions import SpdxLicenseExpressions
from devforge.application.common.actor import Actor
from devforge.application.marketplace.decide_version import DecideVersionHandler, Decision
from devforge.application.marketplace.list_review_queue import ListReviewQueue, QueueQuery
from devforge.application.marketplace.malware_scanner import MalwareScanner
from devforge.application.marketplace.package_checks import InThreadAnalysis, PackageChecks
from devforge.application.marketplace.published import VersionDecidedV1
from devforge.application.marketplace.review_pipeline import ReviewPipeline
from devforge.application.marketplace.review_policy import ReviewPolicy
from devforge.application.marketplace.reviewing import VersionSlot
from devforge.application.marketplace.verify_publisher_domain import (
    CheckDomainVerificationHandler,
    StartDomainVerificationHandler,
)
from devforge.bootstrap.container import make_container, memory_providers
from devforge.domain.marketplace.errors import MarketplaceActionRefused
from devforge.domain.marketplace.package import ExtensionPackage
from devforge.domain.marketplace.permissions import MarketplacePermission
from devforge.domain.marketplace.review import CheckResult, Finding, Severity
from devforge.domain.marketplace.version import ReviewState
from tests.conftest import manual_clock_provider, settings_for_tests

from .world import Market, Outside
from .zips import build_zip, clean_files, manifest

FLAG = b"// devforge-test: for a reviewer"


class FlaggingCheck:
    """Stands in for an analyser rule of medium severity: a file holding ``FLAG`` is for a human."""

    name = "flagging_probe"

    def run(self, package: ExtensionPackage) -> CheckResult:
        findings = [
            Finding("probe_rule", f"{path}, line 1: flagged for a reviewer.", path, 1, Severity.MEDIUM)
            for path, data in package.files.items()
            if FLAG in data
        ]
        return CheckResult.from_findings(self.name, findings, "Nothing flagged.")


def flagging_pipeline() -> Provider:
    provider = Provider(scope=Scope.APP)

    def pipeline(policy: ReviewPolicy, scanner: MalwareScanner) -> ReviewPipeline:
        analyser, signatures = PatternCodeAnalyser(), InMemorySignatureScanner()
        checks = PackageChecks(policy, SpdxLicenseExpressions(), analyser, signatures, extra_checks=[FlaggingCheck()])
        return ReviewPipeline(policy, scanner, InThreadAnalysis(checks))

    provider.provide(pipeline, provides=ReviewPipeline)
    return provider


@pytest.fixture
async def market(clock: ManualClock, outside: Outside) -> AsyncIterator[Market]:
    settings = settings_for_tests(marketplace_probation_approved_versions=2, marketplace_probation_days=30.0)
    container = make_container(
        settings, manual_clock_provider(clock), outside.provider(), flagging_pipeline(), base=memory_providers()
    )
    yield Market(container, outside)
    await container.close()


def package(version: str, *, flagged: bool = False, publisher: str = "acme", name: str = "rainbow-brackets") -> bytes:
    entry = b"exports.activate = () => 1;\n" + (FLAG if flagged else b"")
    changes = {
        "extension/package.json": json.dumps(manifest(version=version, publisher=publisher, name=name)).encode(),
        "extension/CHANGELOG.md": f"# Changelog\n\n## [{version}]\n- This release.\n".encode(),
        "extension/out/extension.js": entry,
    }
    return build_zip(clean_files(changes))


async def verified_extension(market: Market) -> UUID:
    publisher_id = await market.publisher()
    started = await market.call(StartDomainVerificationHandler, market.developer, publisher_id, "acme.example")
    name, value = started.challenge
    market.outside.dns.records[name] = [value]
    await market.call(CheckDomainVerificationHandler, market.developer, publisher_id)
    return await market.extension(publisher_id)


async def release(
    market: Market, extension_id: UUID, version: str, *, flagged: bool = False, **named: str
) -> ReviewState:
    await market.upload(extension_id, package(version, flagged=flagged, **named), version=version)
    await market.run_reviews()
    return (await market.review(extension_id, version)).version.state


async def queue(market: Market, reviewer: Actor | None = None, **query: object) -> list[tuple[str, str]]:
    listed = await market.call(ListReviewQueue, reviewer or market.reviewer, QueueQuery(**query))  # type: ignore[arg-type]
    return [(item.version.version, item.severity or "-") for item in listed]


async def test_a_verified_publisher_waits_for_reviewers_until_it_has_served_its_probation(
    market: Market, clock: ManualClock
) -> None:
    extension_id = await verified_extension(market)
    assert await release(market, extension_id, "1.0.0") is ReviewState.PASSED
    told = (await market.review(extension_id, "1.0.0")).history[-1].reason
    assert "Every check passed." in told and "until 2 are approved and the publisher is 30 days old" in told
    await market.decide(extension_id, Decision.APPROVE, version="1.0.0")
    assert await release(market, extension_id, "1.0.1") is ReviewState.PASSED  # one approved version
    await market.decide(extension_id, Decision.APPROVE, version="1.0.1")
    assert await release(market, extension_id, "1.0.2") is ReviewState.PASSED  # two, but 0 days old
    clock.advance(timedelta(days=30))
    assert await release(market, extension_id, "1.0.3") is ReviewState.APPROVED
    assert "past its probation" in (await market.review(extension_id, "1.0.3")).history[-1].reason
    assert await queue(market) == [("1.0.2", "low")]


async def test_a_finding_of_medium_severity_goes_to_a_human_even_past_probation(
    market: Market, clock: ManualClock
) -> None:
    extension_id = await verified_extension(market)
    for version in ("1.0.0", "1.0.1"):
        await release(market, extension_id, version)
        await market.decide(extension_id, Decision.APPROVE, version=version)
    clock.advance(timedelta(days=31))
    assert await release(market, extension_id, "2.0.0", flagged=True) is ReviewState.PASSED
    told = (await market.review(extension_id, "2.0.0")).history[-1].reason
    assert "probe_rule (extension/out/extension.js, line 1)" in told and "medium severity" in told
    listed = await market.call(ListReviewQueue, market.reviewer, QueueQuery())
    assert [(item.version.version, item.severity) for item in listed] == [("2.0.0", "medium")]
    assert listed[0].findings[0].path == "extension/out/extension.js" and listed[0].findings[0].line == 1


async def test_the_queue_filters_by_severity_publisher_and_age(market: Market, clock: ManualClock) -> None:
    acme = await verified_extension(market)
    await release(market, acme, "1.0.0", flagged=True)
    clock.advance(timedelta(hours=30))
    await release(market, acme, "1.0.1")
    clock.advance(timedelta(hours=1))
    other = await market.extension(await market.publisher("zenith", "Zenith Labs"), "zenith-lint")
    await release(market, other, "0.1.0", flagged=True, publisher="zenith", name="zenith-lint")
    assert await queue(market) == [("1.0.0", "medium"), ("1.0.1", "low"), ("0.1.0", "medium")]
    assert await queue(market, severity=Severity.MEDIUM) == [("1.0.0", "medium"), ("0.1.0", "medium")]
    assert await queue(market, severity=Severity.HIGH) == []
    assert await queue(market, severity=Severity.LOW) == await queue(market)  # the coverage report's warning
    assert await queue(market, publisher="zenith") == [("0.1.0", "medium")]
    assert await queue(market, publisher="nobody") == []
    assert await queue(market, waited_at_least=timedelta(hours=24)) == [("1.0.0", "medium")]
    assert await queue(market, limit=1) == [("1.0.0", "medium")]
    listed = await market.call(ListReviewQueue, market.reviewer, QueueQuery())
    assert listed[0].waited == timedelta(hours=31) and listed[0].namespace == "acme"


async def test_decisions_are_audited_and_changes_requested_reach_the_publisher(market: Market) -> None:
    extension_id = await verified_extension(market)
    await release(market, extension_id, "1.0.0")
    await market.decide(extension_id, Decision.REQUEST_CHANGES, "Say in the README what it sends.", "1.0.0")
    seen = await market.review(extension_id, "1.0.0")  # as the publisher sees it
    assert seen.version.state is ReviewState.CHANGES_REQUESTED
    assert (seen.history[-1].reason, seen.history[-1].actor_id) == (
        "Say in the README what it sends.",
        market.reviewer.user_id,
    )
    decided = [VersionDecidedV1.decode(event) for event in await market.events(VersionDecidedV1.NAME)]
    assert [(d.decision, d.reason, d.reviewer_id) for d in decided] == [
        ("changes_requested", "Say in the README what it sends.", market.reviewer.user_id)
    ]
    assert await queue(market) == []  # decided: no longer waiting


async def test_a_reviewer_neither_sees_nor_decides_on_a_publisher_they_belong_to(market: Market) -> None:
    extension_id = await verified_extension(market)
    await release(market, extension_id, "1.0.0")
    insider = Actor.holding(market.developer.user_id, MarketplacePermission.EXTENSIONS_REVIEW)
    assert await queue(market, insider) == []
    with pytest.raises(MarketplaceActionRefused):
        await market.call(DecideVersionHandler, insider, VersionSlot(extension_id, "1.0.0"), Decision.APPROVE, "")
    assert await queue(market) == [("1.0.0", "low")]


async def test_only_reviewers_see_the_queue(market: Market) -> None:
    with pytest.raises(MarketplaceActionRefused):
        await market.call(ListReviewQueue, Actor(uuid4()), QueueQuery())


async def test_an_unverified_publisher_always_waits(market: Market) -> None:
    extension_id = await market.extension(await market.publisher())
    assert await release(market, extension_id, "1.0.0") is ReviewState.PASSED
    assert "not verified" in (await market.review(extension_id, "1.0.0")).history[-1].reason
