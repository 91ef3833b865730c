"""The review pipeline as the worker runs it, and the approval workflow: the hostile corpus is
stopped by the named check with a clear reason, a clean package passes and is approved, a
required check that crashes blocks publication, and every decision is recorded and mailed."""

from __future__ import annotations

import json
from uuid import UUID

import pytest

from devforge.adapters.memory.mailer import InMemoryMailer
from devforge.application.common.send_queued_mail import WhenMailQueuedSendIt
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.decide_version import DecideVersionHandler, Decision
from devforge.application.marketplace.developer_dashboard import ShowDeveloperDashboard
from devforge.application.marketplace.request_review import RequestReviewHandler
from devforge.application.marketplace.reviewing import VersionSlot
from devforge.application.marketplace.verify_publisher_domain import (
    CheckDomainVerificationHandler,
    StartDomainVerificationHandler,
)
from devforge.application.marketplace.when_version_reviewed_mail_publisher import WhenVersionReviewedMailPublisher
from devforge.domain.marketplace.errors import ExtensionInvalid, MarketplaceActionRefused, ReviewTransitionInvalid
from devforge.domain.marketplace.version import ReviewState

from .corpus import clean_package, hostile_corpus
from .fakes import EICAR_MARK
from .world import Market, Outside, marketplace_container

HOSTILE = hostile_corpus()


async def reviewed(market: Market, archive: bytes) -> UUID:
    extension_id = await market.extension(await market.publisher())
    await market.upload(extension_id, archive)
    assert await market.run_reviews() == 1
    return extension_id


async def test_a_clean_package_passes_every_check_and_a_reviewer_approves_it(market: Market) -> None:
    extension_id = await reviewed(market, clean_package())
    review = await market.review(extension_id)
    assert review.version.state is ReviewState.PASSED
    assert {check.check: check.outcome for check in review.checks} == {
        name: "passed"
        for name in (
            "archive_safety",
            "manifest",
            "upload_slot",
            "documentation",
            "secrets",
            "hash_blocklist",
            "suspicious_code",
            "code_quality",
            "malware",
        )
    }
    assert [(step.from_state, step.to_state) for step in review.history] == [
        (ReviewState.UPLOADED, ReviewState.VALIDATING),
        (ReviewState.VALIDATING, ReviewState.SCANNING),
        (ReviewState.SCANNING, ReviewState.PASSED),
    ]
    approved = await market.decide(extension_id, Decision.APPROVE)
    assert approved.state is ReviewState.APPROVED and approved.signature
    assert market.outside.signer.sign_digest(approved.sha256).signature == approved.signature
    manifest = json.loads(approved.manifest)
    assert (manifest["publisher"], manifest["version"], manifest["sha256"], manifest["size"]) == (
        "acme",
        "1.2.0",
        approved.sha256,
        approved.size,
    )
    assert manifest["extension"] == "rainbow-brackets" and manifest["kid"] == "fake-1"
    assert approved.manifest_signature
    assert approved.history[-1].actor_id == market.reviewer.user_id


@pytest.mark.parametrize("case", HOSTILE)
async def test_each_hostile_package_is_stopped_by_the_named_check_with_a_clear_reason(
    market: Market, case: str
) -> None:
    hostile = HOSTILE[case]
    extension_id = await reviewed(market, hostile.archive)
    review = await market.review(extension_id)
    assert review.version.state.value == hostile.state
    by_check = {check.check: check for check in review.checks}
    assert by_check[hostile.check].outcome == "failed" and hostile.words in by_check[hostile.check].message
    assert all(check.detail is None for check in review.checks)  # the publisher sees no admin detail
    (decision,) = await market.events("marketplace.version_reviewed")
    assert decision.payload["state"] == hostile.state
    assert any(hostile.words in reason for reason in decision.payload["reasons"])
    with pytest.raises(MarketplaceActionRefused):
        await market.decide(extension_id, Decision.APPROVE)


async def test_infected_packages_are_quarantined_by_the_malware_check(market: Market) -> None:
    extension_id = await reviewed(market, clean_package() + EICAR_MARK)
    review = await market.review(extension_id)
    assert review.version.state is ReviewState.QUARANTINED
    assert "Eicar-Test-Signature" in next(c.message for c in review.checks if c.check == "malware")


@pytest.mark.parametrize("failure", ["crashing", "broken"])
async def test_a_required_check_that_crashes_blocks_publication_and_admins_see_why(
    market: Market, failure: str
) -> None:
    setattr(market.outside.scanner, failure, True)
    extension_id = await reviewed(market, clean_package())
    review = await market.review(extension_id)
    assert review.version.state is ReviewState.ERRORED
    malware = next(check for check in review.checks if check.check == "malware")
    assert malware.outcome == "errored" and "could not complete" in malware.message and malware.detail is None
    admin = next(
        check
        for check in (await market.review(extension_id, caller=market.reviewer)).checks
        if check.check == "malware"
    )
    assert admin.detail and ("10.0.0.5" in admin.detail or "garbage" in admin.detail)
    with pytest.raises(MarketplaceActionRefused):
        await market.decide(extension_id, Decision.APPROVE)

    setattr(market.outside.scanner, failure, False)  # the scanner is fixed: the publisher re-runs the review
    await market.call(RequestReviewHandler, market.developer, VersionSlot(extension_id, "1.2.0"))
    assert await market.run_reviews() == 1
    again = await market.review(extension_id)
    assert again.version.state is ReviewState.PASSED and again.version.review_round == 2
    assert {check.review_round for check in again.checks} == {2}


async def test_a_crash_of_a_check_that_is_not_required_only_reports(clock: object, outside: Outside) -> None:
    container = marketplace_container(clock, outside, marketplace_checks_not_required=["malware"])  # type: ignore[arg-type]
    market = Market(container, outside)
    outside.scanner.crashing = True
    try:
        extension_id = await reviewed(market, clean_package())
        assert (await market.review(extension_id)).version.state is ReviewState.PASSED
    finally:
        await container.close()


async def test_with_every_check_disabled_nothing_ran_so_nothing_passes(clock: object, outside: Outside) -> None:
    everything = ["archive_safety", "manifest", "upload_slot", "documentation", "secrets", "hash_blocklist"]
    container = marketplace_container(  # type: ignore[arg-type]
        clock, outside, marketplace_checks_disabled=[*everything, "suspicious_code", "code_quality", "malware"]
    )
    market = Market(container, outside)
    try:
        extension_id = await reviewed(market, clean_package())
        review = await market.review(extension_id)
        assert review.version.state is ReviewState.ERRORED and review.checks == ()
        (decision,) = await market.events("marketplace.version_reviewed")
        assert "No check ran" in " ".join(decision.payload["reasons"])
    finally:
        await container.close()


async def test_a_manifest_that_names_another_version_fails_the_upload_slot_check(market: Market) -> None:
    extension_id = await market.extension(await market.publisher())
    await market.upload(extension_id, clean_package(), version="1.2.1")
    await market.run_reviews()
    review = await market.review(extension_id, version="1.2.1")
    slot = next(check for check in review.checks if check.check == "upload_slot")
    assert review.version.state is ReviewState.REJECTED and "uploaded as '1.2.1'" in slot.message


async def test_a_verified_publisher_is_approved_automatically(market: Market) -> None:
    extension_id = await market.extension(await market.publisher())
    await _verify(market)
    await market.upload(extension_id, clean_package())
    await market.run_reviews()
    review = await market.review(extension_id)
    assert review.version.state is ReviewState.APPROVED and review.version.signature
    assert "automatically" in review.history[-1].reason


async def test_auto_approval_can_be_switched_off(clock: object, outside: Outside) -> None:
    container = marketplace_container(clock, outside, marketplace_auto_approve_verified=False)  # type: ignore[arg-type]
    market = Market(container, outside)
    try:
        extension_id = await market.extension(await market.publisher())
        await _verify(market)
        await market.upload(extension_id, clean_package())
        await market.run_reviews()
        assert (await market.review(extension_id)).version.state is ReviewState.PASSED
    finally:
        await container.close()


async def test_reject_and_request_changes_need_a_reason_and_a_passed_version(market: Market) -> None:
    extension_id = await reviewed(market, clean_package())
    with pytest.raises(ExtensionInvalid) as no_reason:
        await market.decide(extension_id, Decision.REJECT, "  ")
    assert no_reason.value.field == "reason"
    changed = await market.decide(extension_id, Decision.REQUEST_CHANGES, "Please add screenshots.")
    assert changed.state is ReviewState.CHANGES_REQUESTED
    with pytest.raises(MarketplaceActionRefused):
        await market.decide(extension_id, Decision.REJECT, "Too late")
    with pytest.raises(MarketplaceActionRefused):
        await market.call(
            DecideVersionHandler,
            market.developer,
            VersionSlot(extension_id, "1.2.0"),
            Decision.APPROVE,
            "",
        )


async def test_an_approved_version_cannot_be_reviewed_again(market: Market) -> None:
    extension_id = await reviewed(market, clean_package())
    await market.decide(extension_id, Decision.APPROVE)
    with pytest.raises(ReviewTransitionInvalid):
        await market.call(RequestReviewHandler, market.developer, VersionSlot(extension_id, "1.2.0"))


async def test_every_decision_is_mailed_to_the_publisher_with_its_reasons(market: Market) -> None:
    extension_id = await reviewed(market, hostile_corpus()["template README"].archive)
    mailer = await market.container.get(InMemoryMailer)
    for event in await market.events("marketplace.version_reviewed"):
        async with market.container() as scope:
            await (await scope.get(WhenVersionReviewedMailPublisher)).handle(event)
            await (await scope.get(UnitOfWork)).commit()
    for event in await market.events("mail.queued"):  # the mail outbox sends what was posted
        async with market.container() as scope:
            await (await scope.get(WhenMailQueuedSendIt)).handle(event)
            await (await scope.get(UnitOfWork)).commit()
    (mail,) = mailer.sent
    assert mail.to == "dev@acme.example" and "acme.rainbow-brackets 1.2.0 was rejected" in mail.subject
    assert "template text" in mail.text and f"/api/extensions/{extension_id}/versions/1.2.0/review" in mail.text


async def _verify(market: Market) -> None:
    publisher_id = await _first_publisher(market)
    started = await market.call(StartDomainVerificationHandler, market.developer, publisher_id, "acme.example")
    name, value = started.challenge
    market.outside.dns.records[name] = [value]
    await market.call(CheckDomainVerificationHandler, market.developer, publisher_id)


async def _first_publisher(market: Market) -> UUID:
    board = await market.call(ShowDeveloperDashboard, market.developer)
    return board.publishers[0].id  # type: ignore[no-any-return]
