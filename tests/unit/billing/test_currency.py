import pytest

from devforge.domain.billing.currency import ISO_4217, Currency, all_currencies, power_of_ten
from devforge.domain.billing.errors import UnknownCurrency
from devforge.domain.shared.errors import RuleViolated

TWO_DECIMAL = "USD EUR GBP CHF CAD AUD SEK NOK DKK PLN CZK INR BRL MXN CNY HKD SGD NZD ZAR HUF TWD"
REQUIRED = {
    **dict.fromkeys(TWO_DECIMAL.split(), 2),
    **dict.fromkeys(["JPY", "KRW", "VND", "CLP", "ISK", "UGX"], 0),
    **dict.fromkeys(["KWD", "BHD", "JOD", "OMR", "TND"], 3),
}


@pytest.mark.parametrize(("code", "exponent"), sorted(REQUIRED.items()))
def test_each_common_currency_has_its_iso_4217_exponent(code: str, exponent: int) -> None:
    currency = Currency.of(code)
    assert currency.exponent == exponent
    assert currency.minor_units_per_major == 10**exponent


def test_codes_are_looked_up_as_providers_send_them() -> None:
    assert Currency.of(" usd ") == Currency("USD")
    assert str(Currency.of("eur")) == "EUR"
    assert Currency.of("JPY").name == "Japanese yen"


@pytest.mark.parametrize("code", ["XYZ", "", "US", "usd", "DOLLAR", "BTC"])
def test_an_unknown_code_is_refused_naming_the_currency_field(code: str) -> None:
    with pytest.raises(UnknownCurrency) as refused:
        Currency(code)
    assert isinstance(refused.value, RuleViolated)
    assert refused.value.field == "currency"


def test_a_code_that_is_not_text_is_refused() -> None:
    with pytest.raises(UnknownCurrency):
        Currency.of(840)  # type: ignore[arg-type]


def test_every_table_entry_is_a_three_letter_code_with_exponent_0_to_3() -> None:
    assert len(all_currencies()) == len(ISO_4217) >= 40
    for code, (exponent, name) in ISO_4217.items():
        assert len(code) == 3 and code.isupper() and code.isascii()
        assert exponent in {0, 2, 3}
        assert name


def test_powers_of_ten_are_ints() -> None:
    assert [power_of_ten(n) for n in range(4)] == [1, 10, 100, 1000]
    with pytest.raises(ValueError, match="non-negative"):
        power_of_ten(-1)
