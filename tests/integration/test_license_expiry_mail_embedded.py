"""The embedded profile as `make run` composes it (SQLite, the Maildir mailer, the worker's
deliveries): a license that runs out mails its owner exactly one "expires soon" and one "has
expired" message into the Maildir, however often the periodic job and the deliveries run."""

from __future__ import annotations

import mailbox
from datetime import UTC, datetime, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

from devforge.adapters.memory.clock import ManualClock
from devforge.application.licensing.announce_license_expiry import AnnounceLicenseExpiry
from devforge.bootstrap.container import make_container
from tests.conftest import manual_clock_provider, settings_for_tests
from tests.integration.backends import sqlite_database
from tests.outbox_drain import drain
from tests.unit.licensing.use_case_steps import world


async def test_one_expiring_soon_and_one_expired_mail_land_in_the_maildir(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2026, 12, 6, 9, 0, tzinfo=UTC))
    async with sqlite_database(tmp_path) as url:
        settings = settings_for_tests(profile="embedded", database_url=url, data_dir=str(tmp_path / "data"))
        assert settings.mail.mail_backend == "maildir"
        container = make_container(settings, manual_clock_provider(clock))
        try:
            w = await world(container, duration=timedelta(days=30))
            for days in (28, 0, 3, 0, 10):
                clock.advance(timedelta(days=days))
                async with container() as scope:
                    await (await scope.get(AnnounceLicenseExpiry))()
                await drain(container)
        finally:
            await container.close()
    folder = tmp_path / "data" / "mail"
    mails = [BytesParser(policy=policy.default).parsebytes(m.as_bytes()) for m in mailbox.Maildir(folder, create=False)]
    by_subject = sorted(str(m["Subject"]) for m in mails if "license" in str(m["Subject"]))
    assert by_subject == ["Your Dev Forge license expires soon", "Your Dev Forge license has expired"]
    owners = {str(m["To"]) for m in mails if "license" in str(m["Subject"])}
    assert len(owners) == 1 and next(iter(owners)).startswith("customer-")
    assert all(
        str(w.issued.license.id) in m.get_body(("plain",)).get_content()
        for m in mails
        if "license" in str(m["Subject"])
    )  # type: ignore[union-attr]
