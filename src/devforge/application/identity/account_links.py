from __future__ import annotations

from datetime import UTC, datetime

from devforge.application.common.public_url import PublicUrl


class AccountLinks:
    """The links identity mails carry, all built from the configured public base URL (never
    from a request's Host header). A token travels in the fragment (``#token=``), which browsers
    never send to a server, so it stays out of access logs and Referer headers."""

    def __init__(self, public_url: PublicUrl) -> None:
        self._url = public_url

    @property
    def home(self) -> str:
        return self._url.to("/")

    @property
    def reset_page(self) -> str:
        return self._url.to("/reset-password")

    def verify_email(self, raw_token: str) -> str:
        return self._url.to(f"/verify-email#token={raw_token}")

    def reset_password(self, raw_token: str) -> str:
        return self._url.to(f"/reset-password#token={raw_token}")


def mail_time(moment: datetime) -> str:
    """How mails write a moment: unambiguous, in UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
