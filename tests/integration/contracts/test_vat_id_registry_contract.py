"""One contract for the VAT id register: the in-memory adapter and the VIES REST adapter (against
a local fake of VIES) answer VALID with a consultation number for a registered id, INVALID for an
unknown one, and UNVERIFIED, never INVALID and never an exception, when VIES cannot answer."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from devforge.adapters.memory.vat_ids import InMemoryVatIdRegistry
from devforge.adapters.tax.offline_vat_id_registry import OfflineVatIdRegistry
from devforge.adapters.tax.vies_rest_vat_id_registry import ViesRestVatIdRegistry
from devforge.application.billing.vat_id_registry import VatIdRegistry
from devforge.domain.billing.vat_id import VatIdStatus
from tests.fakes.vies_server import FakeVies, running_vies

REGISTERED, UNKNOWN = "FR12345678901", "FR99999999999"


@pytest.fixture(scope="module")
def vies() -> Iterator[FakeVies]:
    with running_vies() as fake:
        yield fake


@dataclass
class Register:
    registry: VatIdRegistry
    register: Callable[[str], None]
    go_down: Callable[[], None]


@asynccontextmanager
async def rest(base_url: str, **options: Any) -> AsyncIterator[ViesRestVatIdRegistry]:
    registry = ViesRestVatIdRegistry(base_url, **options)
    try:
        yield registry
    finally:
        await registry.aclose()


@pytest.fixture(params=["memory", "vies_rest"])
async def subject(request: pytest.FixtureRequest, vies: FakeVies) -> AsyncIterator[Register]:
    if request.param == "memory":
        memory = InMemoryVatIdRegistry()
        yield Register(memory, memory.register, lambda: setattr(memory, "down", True))
        return
    vies.registered.clear()
    vies.fail_with = None
    async with rest(vies.base_url, requester_vat_id="DE111111111", timeout_seconds=2) as registry:
        yield Register(registry, vies.register, lambda: setattr(vies, "fail_with", "MS_UNAVAILABLE"))
    vies.fail_with = None


async def test_a_registered_id_is_valid_with_a_consultation_number_and_date(subject: Register) -> None:
    subject.register(REGISTERED)
    check = await subject.registry.check(REGISTERED)
    assert check.status is VatIdStatus.VALID and check.vat_id == REGISTERED
    assert check.consultation_number and check.checked_at is not None and check.checked_at.tzinfo is not None


async def test_an_unknown_id_is_invalid(subject: Register) -> None:
    subject.register(REGISTERED)
    check = await subject.registry.check(UNKNOWN)
    assert check.status is VatIdStatus.INVALID and check.consultation_number is None


async def test_when_vies_cannot_answer_the_id_is_unverified_not_invalid(subject: Register) -> None:
    subject.register(REGISTERED)
    subject.go_down()
    for vat_id in (REGISTERED, UNKNOWN):
        assert (await subject.registry.check(vat_id)).status is VatIdStatus.UNVERIFIED


@pytest.mark.parametrize(
    "outage",
    [
        {"fail_with": "MS_MAX_CONCURRENT_REQ"},
        {"fail_with": "SERVICE_UNAVAILABLE"},
        {"fail_with": "TIMEOUT"},
        {"fail_status": 503},
        {"fail_status": 500},
        {"garbage": True},
        {"hang_seconds": 1.5},
    ],
    ids=lambda outage: "-".join(f"{k}={v}" for k, v in outage.items()),
)
async def test_every_kind_of_vies_outage_is_unverified(vies: FakeVies, outage: dict[str, object]) -> None:
    vies.register(REGISTERED)
    for name, value in outage.items():
        setattr(vies, name, value)
    try:
        async with rest(vies.base_url, timeout_seconds=0.5) as registry:
            check = await registry.check(REGISTERED)
    finally:
        vies.fail_with, vies.fail_status, vies.garbage, vies.hang_seconds = None, None, False, 0.0
    assert check.status is VatIdStatus.UNVERIFIED


async def test_a_refused_connection_is_unverified() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    async with rest(f"http://127.0.0.1:{port}", timeout_seconds=0.5) as registry:
        check = await registry.check(REGISTERED)
    assert check.status is VatIdStatus.UNVERIFIED


async def test_the_request_names_the_seller_as_requester_and_vies_input_errors_are_invalid(vies: FakeVies) -> None:
    vies.register("EL123456789")
    async with rest(vies.base_url, requester_vat_id="DE111111111") as registry:
        greek = await registry.check("EL123456789")
    assert greek.status is VatIdStatus.VALID
    assert vies.requests[-1] == {
        "countryCode": "EL",
        "vatNumber": "123456789",
        "requesterMemberStateCode": "DE",
        "requesterNumber": "111111111",
    }
    async with rest(vies.base_url) as registry:
        anonymous = await registry.check("EL123456789")
        assert anonymous.status is VatIdStatus.VALID and anonymous.consultation_number is None
        assert "requesterNumber" not in vies.requests[-1]
        assert (await registry.check("FR12*45")).status is VatIdStatus.INVALID


async def test_the_embedded_stand_in_verifies_nothing_and_says_so() -> None:
    assert (await OfflineVatIdRegistry().check(REGISTERED)).status is VatIdStatus.UNVERIFIED
