"""``Notify`` finds an account's owner through the ContactDirectory identity serves, renders in
the house style and posts through the mail outbox; unknown and disabled accounts are told
nothing."""

from __future__ import annotations

from uuid import uuid4

from dishka import AsyncContainer

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.mailer import InMemoryMailer
from devforge.application.common.mail_template import MailTemplate
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.ports import UserRepository
from devforge.application.notifications.notify import Notify
from devforge.domain.identity.roles import Role
from tests.access_world import add_account
from tests.outbox_drain import drain

HELLO = MailTemplate(
    subject="Hello from Dev Forge",
    text="Hello {email}, about {what}.\n",
    html="<p>Hello {email}, about <b>{what}</b>.</p>",
)


async def tell(container: AsyncContainer, user_id: object, what: str) -> object:
    async with container() as scope:
        posted = await (await scope.get(Notify)).account(user_id, HELLO, what=what)  # type: ignore[arg-type]
        await (await scope.get(UnitOfWork)).commit()
    await drain(container)
    return posted


async def test_the_owner_is_mailed_in_the_house_style_with_values_escaped(
    memory_container: AsyncContainer, mailer: InMemoryMailer
) -> None:
    user_id = await add_account(memory_container, "ada@example.com", Role.CUSTOMER)
    assert await tell(memory_container, user_id, "<script>x</script>") is not None
    [mail] = mailer.sent
    assert (mail.to, mail.subject) == ("ada@example.com", "Hello from Dev Forge")
    assert mail.text.startswith("Hello ada@example.com, about <script>x</script>.")
    assert "\n-- \nDev Forge · http" in mail.text
    assert mail.html is not None and "&lt;script&gt;x&lt;/script&gt;" in mail.html and "<script>" not in mail.html


async def test_unknown_and_disabled_accounts_are_told_nothing(
    memory_container: AsyncContainer, mailer: InMemoryMailer, clock: ManualClock
) -> None:
    assert await tell(memory_container, uuid4(), "nothing") is None
    user_id = await add_account(memory_container, "gone@example.com", Role.CUSTOMER)
    async with memory_container() as scope:
        users = await scope.get(UserRepository)
        user = await users.get(user_id, for_update=True)
        assert user is not None
        user.disable(clock.now())
        await users.update(user)
        await (await scope.get(UnitOfWork)).commit()
    assert await tell(memory_container, user_id, "nothing") is None
    assert mailer.sent == []
