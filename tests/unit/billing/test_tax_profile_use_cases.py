"""Certifying and reading a tax profile, and the payout runs' ``PayeeTaxStatus``, on the memory
store: only the publisher's owner, the TIN sealed before it is stored, nothing half-written."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.store import MemoryStore
from devforge.adapters.memory.tax_profiles import InMemoryTaxProfileRepository
from devforge.adapters.memory.two_factor import InMemorySecretBox
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.application.billing.extension_sellers import Seller
from devforge.application.billing.get_tax_profile import GetTaxProfile
from devforge.application.billing.payee_tax_status import TaxProfilePayeeTaxStatus
from devforge.application.billing.payout_ports import PayeeTax
from devforge.application.billing.submit_tax_profile import SubmitTaxProfile, SubmitTaxProfileHandler
from devforge.application.common.actor import Actor
from devforge.domain.billing.tax_errors import PayeeNotFound, TaxProfileInvalid, TaxProfileNotFound, TinInvalid
from devforge.domain.billing.tax_profile import TaxForm, TinKind, tin_context
from devforge.domain.billing.withholding import WithholdingRates
from tests.fakes.extension_sellers import FakeExtensionSellers

OWNER, STRANGER, PUBLISHER = uuid4(), uuid4(), uuid4()
W8: dict[str, object] = {"form": TaxForm.W8BEN, "tin": None, "tin_type": None, "country": "DE", "entity_type": None}


class World:
    def __init__(self) -> None:
        self.store, self.box, self.sellers = MemoryStore(), InMemorySecretBox(), FakeExtensionSellers()
        self.sellers.sellers[PUBLISHER] = Seller(PUBLISHER, "Acme Tools", OWNER, verified=True)
        self.clock = ManualClock(datetime(2026, 2, 1, tzinfo=UTC))

    def submit(self) -> SubmitTaxProfileHandler:
        uow = InMemoryUnitOfWork(self.store)
        profiles = InMemoryTaxProfileRepository(uow.store)
        return SubmitTaxProfileHandler(uow, profiles, self.sellers, self.box, WithholdingRates(), self.clock)

    def read(self) -> GetTaxProfile:
        return GetTaxProfile(InMemoryTaxProfileRepository(self.store), self.sellers, WithholdingRates())


def w9(publisher: UUID = PUBLISHER, **changes: object) -> SubmitTaxProfile:
    fields: dict[str, object] = {
        "publisher_id": publisher,
        "form": TaxForm.W9,
        "name": "Ada Lovelace",
        "address": "1 Main St, Springfield",
        "signer_name": "Ada Lovelace",
        "entity_type": "individual",
        "tin_type": TinKind.SSN,
        "tin": "123-45-6789",
    }
    return SubmitTaxProfile(**(fields | changes))  # type: ignore[arg-type]


async def test_the_owner_certifies_a_w9_and_the_tin_is_stored_sealed_and_shown_masked() -> None:
    world = World()
    view = await world.submit()(Actor(OWNER), w9())
    assert view.tin_masked == "***-**-6789" and view.withholding_basis_points == 0
    stored = world.store.table("billing_tax_profiles")[PUBLISHER]
    assert stored.tin is not None and "123456789" not in repr(stored) and "123456789" not in stored.tin.sealed
    assert world.box.open(stored.tin.sealed, context=tin_context(PUBLISHER)) == "123456789"
    assert (await world.read()(Actor(OWNER), PUBLISHER)).tin_masked == "***-**-6789"


async def test_someone_elses_publisher_answers_as_a_missing_one() -> None:
    world = World()
    for publisher in (PUBLISHER, uuid4()):
        with pytest.raises(PayeeNotFound):
            await world.submit()(Actor(STRANGER if publisher == PUBLISHER else OWNER), w9(publisher))
    assert not world.store.table("billing_tax_profiles")
    with pytest.raises(PayeeNotFound):
        await world.read()(Actor(STRANGER), PUBLISHER)
    with pytest.raises(TaxProfileNotFound):
        await world.read()(Actor(OWNER), PUBLISHER)


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"tin": "666-12-3456"}, TinInvalid, "tin"),
        ({"tin_type": None}, TinInvalid, "tinType"),
        ({"entity_type": "martian"}, TaxProfileInvalid, "entityType"),
        ({"name": "   "}, TaxProfileInvalid, "name"),
        ({**W8, "country": "XX"}, Exception, "country"),
        ({**W8, "form": TaxForm.W8BEN_E}, TaxProfileInvalid, "entityType"),
        ({"form": TaxForm.W8BEN, "country": "DE"}, TaxProfileInvalid, "tin"),
        ({**W8, "treaty_article": "12"}, TaxProfileInvalid, "treatyArticle"),
    ],
)
async def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    changes: dict[str, object], error: type[Exception], field: str
) -> None:
    world = World()
    with pytest.raises(error) as refused:
        await world.submit()(Actor(OWNER), w9(**changes))
    assert getattr(refused.value, "field", None) == field
    assert "123456789" not in str(refused.value) and "123-45-6789" not in str(refused.value)
    assert not world.store.table("billing_tax_profiles")


async def test_payee_tax_status_for_the_payout_runs() -> None:
    world = World()
    status = TaxProfilePayeeTaxStatus(InMemoryTaxProfileRepository(world.store), WithholdingRates())
    assert await status.status(PUBLISHER) == PayeeTax(has_profile=False, withholding_basis_points=0)
    await world.submit()(Actor(OWNER), w9(tin=None, tin_type=None))
    assert await status.status(PUBLISHER) == PayeeTax(has_profile=True, withholding_basis_points=2400)
    await world.submit()(Actor(OWNER), w9())  # a new certification replaces the old one
    assert await status.status(PUBLISHER) == PayeeTax(has_profile=True, withholding_basis_points=0)
    w8 = w9(form=TaxForm.W8BEN, tin=None, tin_type=None, entity_type=None, country="br")
    await world.submit()(Actor(OWNER), w8)
    assert await status.status(PUBLISHER) == PayeeTax(has_profile=True, withholding_basis_points=3000)
    claimed = w9(**{**W8, "country": "BR", "treaty_article": "12", "treaty_rate_bp": 1000})
    await world.submit()(Actor(OWNER), claimed)
    assert await status.status(PUBLISHER) == PayeeTax(has_profile=True, withholding_basis_points=1000)
