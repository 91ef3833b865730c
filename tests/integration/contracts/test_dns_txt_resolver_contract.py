"""The ``DnsTxtResolver`` contract on the static resolver and on dnspython against a local DNS
server (real UDP): records come back whole, "no such name" is an empty list, and a lookup that
gets no answer raises instead of reading as "no record"."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from devforge.adapters.dns.dnspython_txt_resolver import DnspythonTxtResolver
from devforge.adapters.memory.dns_resolver import StaticTxtResolver
from devforge.application.marketplace.dns_resolver import DnsLookupFailed, DnsTxtResolver
from tests.fakes.dns_server import FakeDns, running_dns

CHALLENGE = "_devforge-challenge.acme.dev"
TOKEN = "devforge-verification=6f1c2a"
LONG = "v=" + "x" * 300  # over 255 bytes: travels as two strings, read back as one record


@pytest.fixture(scope="module")
def dns_server() -> Iterator[FakeDns]:
    with running_dns() as fake:
        yield fake


@pytest.fixture(params=["static", "dnspython"])
def resolver(request: pytest.FixtureRequest) -> Iterator[tuple[DnsTxtResolver, StaticTxtResolver | FakeDns]]:
    """The resolver, and a handle to give a name records or make it fail."""
    if request.param == "static":
        static = StaticTxtResolver()
        yield static, static
        return
    fake: FakeDns = request.getfixturevalue("dns_server")
    fake.txt.clear()
    fake.servfail.clear()
    yield DnspythonTxtResolver([fake.address], timeout_seconds=0.5), fake


def publish(handle: StaticTxtResolver | FakeDns, name: str, *records: str) -> None:
    if isinstance(handle, StaticTxtResolver):
        handle.set(name, records)
    else:
        handle.txt[name] = [
            [value.encode()[i : i + 255] for i in range(0, len(value.encode()), 255)] for value in records
        ]


def break_(handle: StaticTxtResolver | FakeDns, name: str) -> None:
    if isinstance(handle, StaticTxtResolver):
        handle.fail(name)
    else:
        handle.servfail.add(name)


async def test_every_txt_record_of_a_name_comes_back(
    resolver: tuple[DnsTxtResolver, StaticTxtResolver | FakeDns],
) -> None:
    txt, handle = resolver
    publish(handle, CHALLENGE, TOKEN, "google-site-verification=abc")
    assert sorted(await txt.txt_records(CHALLENGE)) == sorted([TOKEN, "google-site-verification=abc"])


async def test_a_record_split_into_strings_reads_as_one(
    resolver: tuple[DnsTxtResolver, StaticTxtResolver | FakeDns],
) -> None:
    txt, handle = resolver
    publish(handle, CHALLENGE, LONG)
    assert await txt.txt_records(CHALLENGE) == [LONG]


async def test_names_compare_without_case_or_final_dot(
    resolver: tuple[DnsTxtResolver, StaticTxtResolver | FakeDns],
) -> None:
    txt, handle = resolver
    publish(handle, CHALLENGE, TOKEN)
    assert await txt.txt_records("_DevForge-Challenge.ACME.dev.") == [TOKEN]


async def test_a_name_that_does_not_exist_has_no_records(
    resolver: tuple[DnsTxtResolver, StaticTxtResolver | FakeDns],
) -> None:
    txt, _ = resolver
    assert await txt.txt_records("_devforge-challenge.nowhere.dev") == []


async def test_a_failing_lookup_raises_instead_of_answering_none(
    resolver: tuple[DnsTxtResolver, StaticTxtResolver | FakeDns],
) -> None:
    txt, handle = resolver
    break_(handle, CHALLENGE)
    with pytest.raises(DnsLookupFailed) as failed:
        await txt.txt_records(CHALLENGE)
    assert failed.value.name == CHALLENGE


async def test_dnspython_times_out_with_a_clear_error(dns_server: FakeDns) -> None:
    dns_server.silent.add("slow.acme.dev")
    started = time.monotonic()
    with pytest.raises(DnsLookupFailed, match=r"no answer within 0.3s"):
        await DnspythonTxtResolver([dns_server.address], timeout_seconds=0.3).txt_records("slow.acme.dev")
    assert time.monotonic() - started < 2


async def test_dnspython_asks_the_configured_nameserver_fresh_each_time(dns_server: FakeDns) -> None:
    resolver = DnspythonTxtResolver([dns_server.address], timeout_seconds=0.5)
    dns_server.txt["fresh.acme.dev"] = [[b"one"]]
    assert await resolver.txt_records("fresh.acme.dev") == ["one"]
    dns_server.txt["fresh.acme.dev"] = [[b"two"]]
    assert await resolver.txt_records("fresh.acme.dev") == ["two"]


async def test_dnspython_refuses_a_name_that_is_not_a_domain_name(dns_server: FakeDns) -> None:
    with pytest.raises(DnsLookupFailed, match="not a valid domain name"):
        await DnspythonTxtResolver([dns_server.address]).txt_records("a" * 70 + ".dev")
