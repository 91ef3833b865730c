"""Truthful verdicts: a review check that crashed notifies every enabled administrator for real
(``marketplace.review_checks_crashed`` -> notifications -> the mail outbox), and only then does
the publisher's review say so; an unsafe archive is quarantined without a single line about a
notification, since nothing crashed (the other checks did not run, and say why)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

from dishka import AsyncContainer

from devforge.adapters.memory.mailer import InMemoryMailer
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.ports import UserRepository
from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.roles import Role
from devforge.domain.identity.user import User
from devforge.domain.marketplace.review import ADMINS_NOTIFIED
from devforge.domain.marketplace.version import ReviewState

from .corpus import clean_package, hostile_corpus
from .world import Market

NOTICE = "notified"


async def account(container: AsyncContainer, email: str, role: Role, *, disabled: bool = False) -> None:
    async with container() as scope:
        users = await scope.get(UserRepository)
        user = User.register(
            user_id=uuid4(), email=EmailAddress.parse(email), password_hash="x", role=role, now=_now(), by_admin=True
        )
        if disabled:
            user.disable(_now())
        await users.add(user)
        await (await scope.get(UnitOfWork)).commit()


def _now() -> datetime:
    return datetime(2026, 12, 7, tzinfo=UTC)


async def reviewed(market: Market, archive: bytes) -> UUID:
    extension_id = await market.extension(await market.publisher())
    await market.upload(extension_id, archive)
    assert await market.run_reviews() == 1
    return extension_id


async def test_a_crashed_check_mails_every_enabled_administrator_and_the_review_says_so(market: Market) -> None:
    await account(market.container, "root@devforge.example", Role.ADMIN)
    await account(market.container, "ops@devforge.example", Role.ADMIN)
    await account(market.container, "gone@devforge.example", Role.ADMIN, disabled=True)
    await account(market.container, "someone@devforge.example", Role.CUSTOMER)
    market.outside.scanner.crashing = True
    extension_id = await reviewed(market, clean_package())
    mailer = await market.container.get(InMemoryMailer)
    mailer.sent.clear()

    await market.settle()  # the worker: notifications' consumer posts, the mail outbox sends

    review = await market.review(extension_id)
    assert review.version.state is ReviewState.ERRORED
    malware = next(check for check in review.checks if check.check == "malware")
    assert malware.message.endswith(ADMINS_NOTIFIED)
    told = {mail.to: mail for mail in mailer.sent if "crashed" in mail.subject}
    assert set(told) == {"root@devforge.example", "ops@devforge.example"}
    notice = told["root@devforge.example"]
    assert "acme.rainbow-brackets 1.2.0" in notice.subject and "malware" in notice.text
    assert f"/api/extensions/{extension_id}/versions/1.2.0/review" in notice.text
    (crash,) = await market.events("marketplace.review_checks_crashed")
    assert crash.payload["checks"] == ["malware"] and crash.payload["review_round"] == 1
    (decision,) = await market.events("marketplace.version_reviewed")
    assert any(reason.endswith(ADMINS_NOTIFIED) for reason in decision.payload["reasons"])


async def test_a_clean_review_has_no_notice_and_tells_nobody(market: Market) -> None:
    await account(market.container, "root@devforge.example", Role.ADMIN)
    extension_id = await reviewed(market, clean_package())
    await market.settle()
    review = await market.review(extension_id)
    assert review.version.state is ReviewState.PASSED
    assert not any(NOTICE in check.message for check in review.checks)
    assert await market.events("marketplace.review_checks_crashed") == []


async def test_an_unsafe_archive_is_quarantined_without_any_notice_line(market: Market) -> None:
    """Before: seven or eight "could not complete. Our team has been notified" lines, mailed too."""
    await account(market.container, "root@devforge.example", Role.ADMIN)
    extension_id = await reviewed(market, hostile_corpus()["zip-slip"].archive)
    await market.settle()
    review = await market.review(extension_id)
    assert review.version.state is ReviewState.QUARANTINED
    messages = [check.message for check in review.checks]
    assert not any(NOTICE in message or "could not complete" in message for message in messages)
    assert {check.outcome for check in review.checks if check.check != "archive_safety"} <= {"skipped", "passed"}
    assert await market.events("marketplace.review_checks_crashed") == []
    (decision,) = await market.events("marketplace.version_reviewed")
    assert decision.payload["reasons"], "archive safety's own reason"
    assert not any("did not run" in reason for reason in decision.payload["reasons"])
    mailer = await market.container.get(InMemoryMailer)
    assert not any(NOTICE in mail.text for mail in mailer.sent)
