"""Where a hosted checkout may send the buyer back to: the service's own public base URL, or an
origin the operator allowed (``DEVFORGE_CHECKOUT_RETURN_ORIGINS``). Anything else would make the
checkout an open redirect (a "payment done" page on any site), so it is refused with 422 naming
the field.

An origin is scheme, host and port (the default port made explicit). A URL with credentials
(``user@host``), a backslash, white space or a control character is refused outright: browsers
and URL parsers disagree about where the host of such a URL ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from devforge.application.billing.errors import ReturnUrlNotAllowed

_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str | None:
    """``scheme://host:port`` of an absolute http(s) URL, or None when it is not one we trust."""
    if any(char.isspace() or ord(char) < 0x20 or char in "\\\x7f" for char in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname or "@" in parts.netloc:
        return None
    return f"{scheme}://{parts.hostname.lower()}:{port or _DEFAULT_PORTS[scheme]}"


@dataclass(frozen=True, slots=True)
class CheckoutReturnUrls:
    """``allowed`` are origins (``https://shop.example``), the public base URL's among them."""

    allowed: frozenset[str]

    @classmethod
    def of(cls, public_base_url: str, origins: list[str]) -> CheckoutReturnUrls:
        parsed = {origin_of(url) for url in (public_base_url, *origins)}
        return cls(frozenset(origin for origin in parsed if origin))

    def check(self, url: str, *, field: str) -> str:
        if origin_of(url) not in self.allowed:
            raise ReturnUrlNotAllowed(
                "A return URL must be on this service's public base URL or an allowed origin.", field=field
            )
        return url
