"""What a buyer sends that is refused before anything is written: a country that is not an ISO
3166-1 alpha-2 code, and success or cancel URLs off the service's own and the allowed origins."""

from __future__ import annotations

import pytest

from devforge.adapters.memory.store import MemoryStore
from devforge.application.billing.errors import ReturnUrlNotAllowed
from devforge.application.billing.get_pricing import GetPricing, GetPricingHandler
from devforge.application.billing.return_urls import CheckoutReturnUrls
from devforge.bootstrap.settings import SettingsError, load_settings
from devforge.bootstrap.settings.billing import BillingSettings
from devforge.domain.billing.errors import CountryUnknown
from devforge.domain.billing.tax_quote import TaxAddress
from tests.unit.billing.purchase_world import purchase_world


@pytest.mark.parametrize("code", ["XX", "UK", "EL", "XK", "ZZ", "D1", "DEU", ""])
def test_a_country_off_the_iso_list_is_refused_naming_the_field(code: str) -> None:
    with pytest.raises(CountryUnknown) as refused:
        TaxAddress(code)
    assert refused.value.field == "country"


def test_an_iso_country_is_taken_whatever_its_case() -> None:
    assert TaxAddress(" gb ").country == "GB" and TaxAddress("JP").country == "JP"


async def test_neither_pricing_nor_checkout_tax_an_unknown_country_at_zero() -> None:
    world = await purchase_world()
    buyer = await world.customer()
    with pytest.raises(CountryUnknown):
        async with world.container() as scope:
            await (await scope.get(GetPricingHandler))(GetPricing(currency="EUR", country="XX"))
    with pytest.raises(CountryUnknown):
        await world.checkout(buyer, country="XX")
    store = await world.container.get(MemoryStore)
    assert store.table("billing_orders") == {} and world.gateway.checkouts == {}


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/thanks",
        "https://devforge.test.evil.example/",
        "https://devforge.test@evil.example/",
        "https://evil.example\\@devforge.test/",
        "http://devforge.test/thanks",  # another scheme is another origin
        "https://devforge.test:8443/thanks",
        "javascript:alert(1)",
        "//evil.example/",
    ],
)
def test_a_return_url_off_the_allowed_origins_is_refused(url: str) -> None:
    urls = CheckoutReturnUrls.of("https://devforge.test", ["https://shop.example"])
    with pytest.raises(ReturnUrlNotAllowed) as refused:
        urls.check(url, field="successUrl")
    assert refused.value.field == "successUrl"


def test_the_public_base_url_and_the_allowed_origins_are_accepted() -> None:
    urls = CheckoutReturnUrls.of("https://devforge.test/", ["https://shop.example:443", "http://localhost:3000"])
    for url in ("https://devforge.test/thanks?x=1", "https://DEVFORGE.test:443/", "https://shop.example/done",
                "http://localhost:3000/cart"):  # fmt: skip
        assert urls.check(url, field="successUrl") == url


async def test_a_checkout_sending_the_buyer_elsewhere_writes_nothing() -> None:
    world = await purchase_world()
    buyer = await world.customer()
    with pytest.raises(ReturnUrlNotAllowed) as refused:
        await world.checkout(buyer, success_url="http://127.0.0.1:8000/ok", cancel_url="https://evil.example/")
    assert refused.value.field == "cancelUrl"
    store = await world.container.get(MemoryStore)
    assert store.table("billing_orders") == {} and world.gateway.checkouts == {}
    order = await world.checkout(buyer, success_url="http://127.0.0.1:8000/ok")
    assert next(iter(world.gateway.checkouts.values())).success_url == "http://127.0.0.1:8000/ok"
    assert order.redirect_url


@pytest.mark.parametrize("origin", ["https://shop.example/checkout", "ftp://shop.example", "shop.example"])
def test_an_allowed_origin_that_is_no_origin_is_refused_at_start(origin: str) -> None:
    environ = {"DEVFORGE_SECRET_KEY": "s" * 32, "DEVFORGE_CHECKOUT_RETURN_ORIGINS": f"https://ok.example,{origin}"}
    with pytest.raises(SettingsError, match="DEVFORGE_CHECKOUT_RETURN_ORIGINS"):
        load_settings(environ)
    allowed = load_settings(environ | {"DEVFORGE_CHECKOUT_RETURN_ORIGINS": "https://ok.example"})
    assert allowed.section(BillingSettings).checkout_return_origins
