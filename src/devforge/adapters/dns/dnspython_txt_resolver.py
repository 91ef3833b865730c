"""TXT lookups with dnspython's asyncio resolver, nothing cached (a publisher who just added the
record should not wait out a TTL), against the system's nameservers or configured ones
(``1.1.1.1``, ``127.0.0.1:5353``, ``[::1]:53``)."""

from __future__ import annotations

import dns.asyncresolver
import dns.exception
import dns.name
import dns.nameserver
import dns.rdatatype
import dns.resolver

from devforge.application.marketplace.dns_resolver import DnsLookupFailed


class DnspythonTxtResolver:
    def __init__(self, nameservers: list[str] | None = None, *, timeout_seconds: float = 5.0) -> None:
        if nameservers:
            self._resolver = dns.asyncresolver.Resolver(configure=False)
            self._resolver.nameservers = [_nameserver(entry) for entry in nameservers]
        else:
            try:
                self._resolver = dns.asyncresolver.Resolver()
            except dns.resolver.NoResolverConfiguration:
                # No /etc/resolv.conf (a bare container): every lookup fails as "no answer", the
                # service still starts and says why on the first check.
                self._resolver = dns.asyncresolver.Resolver(configure=False)
        self._timeout = timeout_seconds
        self._resolver.timeout = timeout_seconds
        self._resolver.lifetime = timeout_seconds

    async def txt_records(self, name: str) -> list[str]:
        try:
            qname = dns.name.from_text(name)
        except dns.exception.DNSException as error:
            raise DnsLookupFailed(name, f"not a valid domain name ({error})") from None
        try:
            answer = await self._resolver.resolve(qname, dns.rdatatype.TXT, lifetime=self._timeout, search=False)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return []
        except dns.resolver.LifetimeTimeout:
            raise DnsLookupFailed(name, f"no answer within {self._timeout:g}s") from None
        except dns.resolver.NoNameservers as error:
            raise DnsLookupFailed(name, f"every nameserver failed ({error})") from None
        except dns.exception.DNSException as error:
            raise DnsLookupFailed(name, f"{type(error).__name__}: {error}") from None
        return [b"".join(record.strings).decode("utf-8", errors="replace") for record in answer]


def _nameserver(entry: str) -> dns.nameserver.Nameserver:
    host, port = entry.strip(), 53
    if host.startswith("["):
        host, _, rest = host[1:].partition("]")
        port = int(rest.removeprefix(":") or 53)
    elif host.count(":") == 1:
        host, _, raw_port = host.partition(":")
        port = int(raw_port)
    return dns.nameserver.Do53Nameserver(host, port)
