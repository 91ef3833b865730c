"""Identity's mail templates, and the notices sent when an account's security changes."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from dishka import AsyncContainer

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.mailer import InMemoryMailer
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity import mail_templates
from devforge.application.identity.mail_templates import MailTemplate
from devforge.application.identity.publication import PUBLICATION
from devforge.application.identity.published import PasswordChangedV1, TwoFactorDisabledV1, TwoFactorEnabledV1
from devforge.application.identity.register_user import RegisterUser, RegisterUserHandler
from devforge.domain.identity.events import SessionStarted
from tests.outbox_drain import drain

HOSTILE = '<script>alert("x")</script> & co'
TEMPLATES = [value for value in vars(mail_templates).values() if isinstance(value, MailTemplate)]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.subject)
def test_every_template_has_text_and_html_with_values_escaped_only_in_html(template: MailTemplate) -> None:
    names = ("email", "verify_link", "reset_link", "reset_page", "home", "when", "ip", "device", "change")
    names += ("key_name", "scopes", "expires")
    message = template.render("ada@example.com", **dict.fromkeys(names, HOSTILE))
    assert message.to == "ada@example.com" and message.subject == template.subject
    assert HOSTILE in message.text
    assert message.html is not None
    assert (
        "<script>" not in message.html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in message.html
    )


def test_the_template_set_covers_every_identity_mail() -> None:
    assert {t.subject for t in TEMPLATES} == {
        "Welcome to Dev Forge",
        "Confirm your email address",
        "Reset your Dev Forge password",
        "New sign-in to your Dev Forge account",
        "Two-factor authentication changed",
        "Your Dev Forge password was changed",
        "A new API key for your Dev Forge account",
    }


async def registered(container: AsyncContainer, mailer: InMemoryMailer) -> UUID:
    async with container() as scope:
        user = await (await scope.get(RegisterUserHandler))(
            RegisterUser("ada@example.com", "correct horse battery staple")
        )
    await drain(container)
    mailer.sent.clear()
    return user.id


async def publish(container: AsyncContainer, *events: EventEnvelope) -> None:
    async with container() as scope:
        await (await scope.get(Outbox)).add(events)
        await (await scope.get(UnitOfWork)).commit()
    await drain(container)


async def test_a_new_sign_in_is_mailed_with_the_device_escaped(
    memory_container: AsyncContainer, mailer: InMemoryMailer, clock: ManualClock
) -> None:
    user_id = await registered(memory_container, mailer)
    started = SessionStarted(
        occurred_at=datetime(2026, 3, 4, 5, 6, tzinfo=UTC),
        user_id=user_id,
        session_id=uuid4(),
        ip="203.0.113.9",
        device=HOSTILE,
    )
    await publish(memory_container, PUBLICATION.envelope(started))
    [mail] = mailer.sent
    assert (mail.to, mail.subject) == ("ada@example.com", "New sign-in to your Dev Forge account")
    assert "2026-03-04 05:06 UTC" in mail.text and "203.0.113.9" in mail.text
    assert mail.html is not None and "<script>" not in mail.html
    assert "http://127.0.0.1:8000/reset-password" in mail.text


@pytest.mark.parametrize(("schema", "change"), [(TwoFactorEnabledV1, "turned on"), (TwoFactorDisabledV1, "turned off")])
async def test_two_factor_changes_are_mailed_to_the_owner(
    memory_container: AsyncContainer,
    mailer: InMemoryMailer,
    clock: ManualClock,
    schema: type[TwoFactorEnabledV1 | TwoFactorDisabledV1],
    change: str,
) -> None:
    user_id = await registered(memory_container, mailer)
    await publish(memory_container, schema(user_id=user_id).envelope(clock.now()))
    [mail] = mailer.sent
    assert (mail.to, mail.subject) == ("ada@example.com", "Two-factor authentication changed")
    assert f"was {change} for ada@example.com" in mail.text


async def test_no_notice_goes_to_an_account_that_does_not_exist(
    memory_container: AsyncContainer, mailer: InMemoryMailer, clock: ManualClock
) -> None:
    ghost = uuid4()
    await publish(
        memory_container,
        TwoFactorEnabledV1(user_id=ghost).envelope(clock.now()),
        PasswordChangedV1(user_id=ghost, email="ghost@example.com").envelope(clock.now()),
    )
    assert mailer.sent == []
