"""Reserved names: the platform's own names, large vendors, the most popular editor tools and
languages. A name whose skeleton is a reserved name's is refused unless an administrator
claims it or the claimant holds a verified domain the reserved name lists (``microsoft.com``
or a subdomain of it for ``microsoft``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReservedName:
    name: str
    domains: tuple[str, ...] = ()

    def claimable_through(self, verified_domains: Iterable[str]) -> bool:
        """A verified domain is one of the listed domains or a subdomain of one."""
        return any(
            verified == domain or verified.endswith("." + domain)
            for verified in verified_domains
            for domain in self.domains
        )


def parse_reserved(lines: Iterable[str]) -> list[ReservedName]:
    """One reserved name a line: the name, then the domains that may claim it, blank-separated;
    ``#`` starts a comment."""
    reserved = []
    for line in lines:
        words = line.split("#", 1)[0].split()
        if words:
            reserved.append(ReservedName(words[0], tuple(domain.lower() for domain in words[1:])))
    return reserved
