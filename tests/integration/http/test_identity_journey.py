"""The whole identity journey over HTTP, as a person lives it: sign up, take the verification
link from the mail a real mailer wrote to disk, verify, turn on two-factor, sign in with a code
and with a recovery code, then look at the sessions and end them."""

from __future__ import annotations

import mailbox
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from dishka import Provider, Scope

from devforge.adapters.mail.maildir_mailer import MaildirMailer
from devforge.adapters.memory.clock import ManualClock
from devforge.application.common.mailer import Mailer
from tests.conftest import manual_clock_provider
from tests.integration.http.authentication_steps import PASSWORD, Account, bearer
from tests.integration.http.conftest import build_client
from tests.outbox_drain import drain


def link_token(folder: Path, subject_part: str) -> str:
    for message in mailbox.Maildir(folder, create=False):
        mail = BytesParser(policy=policy.default).parsebytes(message.as_bytes())
        assert isinstance(mail, EmailMessage)
        if subject_part in str(mail["Subject"]):
            body = mail.get_body(("plain",))
            assert isinstance(body, EmailMessage)
            [token] = re.findall(r"#token=([A-Za-z0-9_-]+)", body.get_content())
            return token
    raise AssertionError(f"no mail about {subject_part!r} in {folder}")


async def test_sign_up_verify_two_factor_recovery_code_and_sessions(tmp_path: Path, clock: ManualClock) -> None:
    maildir = tmp_path / "mail"
    wiring = Provider(scope=Scope.APP)
    wiring.provide(lambda: MaildirMailer(maildir, "Dev Forge <noreply@devforge.example>"), provides=Mailer)
    client, container, _ = build_client(manual_clock_provider(clock), wiring)
    async with client:
        created = await client.post("/api/auth/register", json={"email": "Ada@Example.com", "password": PASSWORD})
        assert created.status_code == 201
        await drain(container)
        token = link_token(maildir, "Welcome")
        assert (await client.post("/api/auth/verify-email", json={"token": token})).status_code == 204
        assert (await client.post("/api/auth/verify-email", json={"token": token})).status_code == 422  # single use

        ada = Account(client, clock, "ada@example.com")
        first_access = await ada.turn_on_two_factor()
        assert len(ada.recovery_codes) == 10
        me = (await client.get("/api/auth/me", headers=bearer(first_access))).json()
        assert me["emailVerified"] is True

        by_code = await ada.sign_in()
        assert by_code.status_code == 200, by_code.text
        recovery = ada.recovery_codes[0]
        by_recovery = await ada.sign_in(recoveryCode=recovery)
        assert by_recovery.status_code == 200, by_recovery.text
        assert (await ada.sign_in(recoveryCode=recovery)).status_code == 422  # each code works once
        current = by_recovery.json()["accessToken"]

        listed = (await client.get("/api/auth/sessions", headers=bearer(current))).json()
        active = [s for s in listed if s["active"]]
        assert len(active) == 3
        assert [s["current"] for s in active].count(True) == 1
        victim = next(s for s in active if not s["current"])
        revoked = await client.delete(f"/api/auth/sessions/{victim['id']}", headers=bearer(current))
        assert revoked.status_code == 204
        others = await client.post("/api/auth/sessions/revoke-others", headers=bearer(current))
        assert others.status_code in (200, 204)

        after = (await client.get("/api/auth/sessions", headers=bearer(current))).json()
        assert [s["current"] for s in after if s["active"]] == [True]
        assert (await client.get("/api/auth/me", headers=bearer(first_access))).status_code == 401
        assert (await client.get("/api/auth/me", headers=bearer(current))).status_code == 200
        await drain(container)
        subjects = [str(m["Subject"]) for m in mailbox.Maildir(maildir, create=False)]
        assert any("two-factor" in s.lower() for s in subjects), subjects
