"""DNS TXT lookups, for verifying a publisher's domain (``_devforge-challenge.<domain>``)."""

from __future__ import annotations

from typing import Protocol


class DnsLookupFailed(Exception):
    """The lookup did not get an answer (timeout, SERVFAIL, refused, no nameserver): the domain's
    records are unknown, which is not the same as "no record". Callers report it and retry."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"DNS TXT lookup of {name!r} failed: {reason}.")
        self.name = name
        self.reason = reason


class DnsTxtResolver(Protocol):
    async def txt_records(self, name: str) -> list[str]:
        """Every TXT record of ``name``, each one's strings joined (RFC 7208 style) and decoded as
        UTF-8. A name that does not exist (NXDOMAIN) or has no TXT record answers ``[]``; a
        lookup that got no answer raises ``DnsLookupFailed``."""
        ...
