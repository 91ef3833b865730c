"""The B2B reverse charge rests on VIES: only a cross-border sale between two EU countries to a
VAT id VIES knows goes without VAT; an id VIES does not know is refused; when VIES cannot answer,
VAT is charged and the price list, the order and the invoice say so. Positive answers are cached."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from devforge.adapters.memory.store import MemoryStore
from devforge.adapters.memory.vat_ids import InMemoryVatIdRegistry
from devforge.application.billing.get_pricing import GetPricing, GetPricingHandler, PriceList
from devforge.application.billing.invoice_orders import REVERSE_CHARGE_NOTE, invoice_notes
from devforge.domain.billing.errors import VatIdInvalid, VatIdMalformed
from devforge.domain.billing.reverse_charge import UNVERIFIED_NOTE, VatTreatment, vat_treatment
from devforge.domain.billing.vat_id import VatIdCheck, VatIdStatus
from tests.unit.billing.purchase_world import PurchaseWorld, purchase_world

SELLER = {"invoice_seller_country": "DE", "invoice_seller_vat_id": "DE111111111"}
FRENCH_BUSINESS = "FR12345678901"
AT = datetime(2026, 3, 1, 12, tzinfo=UTC)


def answered(status: VatIdStatus) -> VatIdCheck:
    return VatIdCheck(FRENCH_BUSINESS, status, AT, "WAPI-1" if status is VatIdStatus.VALID else None)


@pytest.mark.parametrize(
    ("seller", "buyer", "check", "reverse_charge"),
    [
        ("DE", "FR", answered(VatIdStatus.VALID), True),
        ("DE", "DE", answered(VatIdStatus.VALID), False),  # domestic: VAT as usual
        (None, "FR", answered(VatIdStatus.VALID), False),  # seller's country unknown: not known to be cross-border
        ("US", "FR", answered(VatIdStatus.VALID), False),  # both must be in the EU
        ("DE", "CH", answered(VatIdStatus.VALID), False),
        ("DE", "FR", answered(VatIdStatus.UNVERIFIED), False),
        ("DE", "FR", None, False),
    ],
)
def test_the_reverse_charge_is_only_cross_border_eu_b2b_on_viess_word(
    seller: str | None, buyer: str, check: VatIdCheck | None, reverse_charge: bool
) -> None:
    assert vat_treatment(seller, buyer, FRENCH_BUSINESS, check).reverse_charge is reverse_charge


def test_an_id_vies_does_not_know_is_refused_and_one_it_could_not_check_is_charged_with_a_note() -> None:
    with pytest.raises(VatIdInvalid) as refused:
        vat_treatment("DE", "FR", FRENCH_BUSINESS, answered(VatIdStatus.INVALID))
    assert refused.value.field == "vat_id"
    unverified = vat_treatment("DE", "FR", FRENCH_BUSINESS, answered(VatIdStatus.UNVERIFIED))
    assert unverified == VatTreatment(False, answered(VatIdStatus.UNVERIFIED), UNVERIFIED_NOTE)
    assert UNVERIFIED_NOTE == "VAT id could not be verified, VAT charged."


async def vies_world(**settings: object) -> tuple[PurchaseWorld, InMemoryVatIdRegistry]:
    world = await purchase_world(**(SELLER | settings))
    return world, await world.container.get(InMemoryVatIdRegistry)


async def price_list(world: PurchaseWorld, country: str, vat_id: str | None) -> PriceList:
    async with world.container() as scope:
        return await (await scope.get(GetPricingHandler))(GetPricing("USD", country, vat_id=vat_id))


async def test_a_well_formed_id_vies_does_not_know_is_refused_and_nothing_is_written() -> None:
    world, vies = await vies_world()
    buyer = await world.customer()
    with pytest.raises(VatIdInvalid):
        await world.checkout(buyer, currency="USD", country="FR", vat_id="FRXX")
    with pytest.raises(VatIdInvalid):
        await price_list(world, "FR", "FRXX")
    with pytest.raises(VatIdMalformed):  # another country's id is refused before VIES is asked
        await world.checkout(buyer, currency="USD", country="FR", vat_id="DE123456789")
    assert vies.asked == ["FRXX", "FRXX"]
    assert (await world.container.get(MemoryStore)).table("billing_orders") == {} and world.gateway.checkouts == {}


async def test_a_verified_business_in_another_eu_country_pays_no_vat_and_the_invoice_cites_vies() -> None:
    world, vies = await vies_world()
    vies.register(FRENCH_BUSINESS, consultation_number="WAPIAAAAW1234567")
    order = await world.checkout(await world.customer(), currency="USD", country="FR", vat_id="FR 123 456 789 01")
    assert order.reverse_charge and (order.total.tax.amount_minor, order.total.gross.amount_minor) == (0, 9900)
    assert next(iter(world.gateway.checkouts.values())).lines[0].tax_amount == 0
    assert order.vat_id_check is not None and order.vat_id_check.consultation_number == "WAPIAAAAW1234567"
    stored = next(iter((await world.container.get(MemoryStore)).table("billing_orders").values()))
    assert invoice_notes(stored) == (
        REVERSE_CHARGE_NOTE,
        f"VAT id {FRENCH_BUSINESS} verified with VIES on {order.vat_id_check.checked_at:%Y-%m-%d}, "
        "consultation number WAPIAAAAW1234567.",
    )


async def test_a_domestic_business_pays_vat_and_vies_is_not_asked() -> None:
    world, vies = await vies_world()
    vies.register("DE123456789")
    order = await world.checkout(await world.customer(), currency="USD", country="DE", vat_id="DE123456789")
    assert not order.reverse_charge and order.total.tax.amount_minor == 1881 and order.vat_id_check is None
    assert vies.asked == []


async def test_when_vies_is_down_vat_is_charged_and_the_quote_the_order_and_the_invoice_say_so() -> None:
    world, vies = await vies_world()
    vies.register(FRENCH_BUSINESS)
    vies.down = True
    prices = await price_list(world, "FR", FRENCH_BUSINESS)
    assert (prices.vat_id_status, prices.tax_note) == (VatIdStatus.UNVERIFIED, UNVERIFIED_NOTE)
    assert (
        prices.products[0].offers[0].amounts.tax.amount_minor == 1980
        and not prices.products[0].offers[0].reverse_charge
    )
    order = await world.checkout(await world.customer(), currency="USD", country="FR", vat_id=FRENCH_BUSINESS)
    assert not order.reverse_charge and order.total.tax.amount_minor == 1980 and order.tax_note == UNVERIFIED_NOTE
    stored = next(iter((await world.container.get(MemoryStore)).table("billing_orders").values()))
    assert invoice_notes(stored) == (UNVERIFIED_NOTE,)


async def test_a_positive_answer_is_cached_and_a_negative_one_is_not() -> None:
    world, vies = await vies_world()
    vies.register(FRENCH_BUSINESS)
    assert (await price_list(world, "FR", FRENCH_BUSINESS)).vat_id_status is VatIdStatus.VALID
    vies.down = True  # VIES goes away after the buyer saw the price: the checkout still has its answer
    order = await world.checkout(await world.customer(), currency="USD", country="FR", vat_id=FRENCH_BUSINESS)
    assert order.reverse_charge and vies.asked == [FRENCH_BUSINESS]
    vies.down = False
    for _ in range(2):
        with pytest.raises(VatIdInvalid):
            await price_list(world, "FR", "FR99999999999")
    assert vies.asked == [FRENCH_BUSINESS, "FR99999999999", "FR99999999999"]


async def test_without_a_seller_country_no_sale_is_cross_border_and_vies_is_never_asked() -> None:
    world, vies = await vies_world(invoice_seller_country="", invoice_seller_vat_id="")
    vies.register(FRENCH_BUSINESS)
    order = await world.checkout(await world.customer(), currency="USD", country="FR", vat_id=FRENCH_BUSINESS)
    assert not order.reverse_charge and order.total.tax.amount_minor == 1980 and vies.asked == []
