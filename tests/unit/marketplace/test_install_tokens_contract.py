"""The install-token contract, on memory and on HMAC: a token names the install it was issued for;
anything this issuer did not issue (forged, altered, another issuer's, malformed, made up) names
no install, so a download carrying it counts for its address."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from devforge.adapters.memory.install_tokens import InMemoryInstallTokens
from devforge.adapters.security.hmac_install_tokens import HmacInstallTokens
from devforge.application.marketplace.ports import InstallTokens

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
ISSUERS: dict[str, Callable[[], InstallTokens]] = {
    "memory": InMemoryInstallTokens,
    "hmac": lambda: HmacInstallTokens(b"install-token-test-secret-" + uuid4().bytes),
}


@pytest.fixture(params=sorted(ISSUERS))
def issuer(request: pytest.FixtureRequest) -> Callable[[], InstallTokens]:
    return ISSUERS[request.param]


def test_an_issued_token_names_its_install(issuer: Callable[[], InstallTokens]) -> None:
    tokens = issuer()
    first, second = uuid4(), uuid4()
    one, two = tokens.issue(first, NOW), tokens.issue(second, NOW)
    assert (tokens.install_of(one), tokens.install_of(two)) == (first, second)
    assert tokens.install_of(one) == first  # for good: it is read any number of times


def test_what_this_issuer_did_not_issue_names_no_install(issuer: Callable[[], InstallTokens]) -> None:
    tokens, elsewhere = issuer(), issuer()
    real = tokens.issue(uuid4(), NOW)
    altered = real[:-2] + ("AA" if not real.endswith("AA") else "BB")
    for forged in (
        elsewhere.issue(uuid4(), NOW),
        altered,
        real + "x",
        "",
        uuid4().hex,
        "dfi1.",
        "dfi1.a.b",
        "dfi1.\u00e9\u00e9.\u00e9",
        "x" * 10_000,
    ):
        assert tokens.install_of(forged) is None, forged


def test_an_hmac_token_is_bound_to_its_payload() -> None:
    tokens = HmacInstallTokens(b"install-token-test-secret-0123456789")
    one, two = tokens.issue(uuid4(), NOW), tokens.issue(uuid4(), NOW)
    swapped = ".".join([*one.split(".")[:2], two.split(".")[2]])  # one's payload under two's MAC
    assert tokens.install_of(swapped) is None
    with pytest.raises(ValueError, match="16 bytes"):
        HmacInstallTokens(b"short")
