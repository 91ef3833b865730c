"""Tax profiles: TIN formats, masking, who may certify, and the withholding each form means."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.domain.billing.tax_errors import TaxProfileInvalid, TinInvalid
from devforge.domain.billing.tax_profile import (
    ForeignEntityType,
    TaxForm,
    Tin,
    TinKind,
    TreatyClaim,
    UsEntityType,
    mask,
    w8,
    w9,
)
from devforge.domain.billing.withholding import WithholdingRates

AT = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize("ssn", ["123-45-6789", "123456789", "001-01-0001", "665-99-9999", "899-12-3456"])
def test_an_issuable_ssn_is_accepted(ssn: str) -> None:
    assert Tin.parse(ssn, TinKind.SSN).digits == ssn.replace("-", "")


@pytest.mark.parametrize(
    "ssn",
    ["000-12-3456", "666-12-3456", "900-12-3456", "999-12-3456", "123-00-4567", "123-45-0000", "12345678", "12a456789"],
)
def test_an_ssn_never_issued_is_refused_naming_the_field(ssn: str) -> None:
    with pytest.raises(TinInvalid) as refused:
        Tin.parse(ssn, TinKind.SSN)
    assert refused.value.field == "tin"
    assert ssn.replace("-", "") not in refused.value.message


@pytest.mark.parametrize("ein", ["01-2345678", "12-3456789", "27-0000001", "98-7654321", "99-1234567", "71-1234567"])
def test_an_ein_with_a_campus_prefix_is_accepted(ein: str) -> None:
    assert Tin.parse(ein, TinKind.EIN).kind is TinKind.EIN


@pytest.mark.parametrize(
    "prefix", ["00", "07", "08", "09", "17", "18", "19", "28", "29", "49", "69", "70", "78", "79", "89", "96", "97"]
)
def test_an_ein_without_a_campus_prefix_is_refused(prefix: str) -> None:
    with pytest.raises(TinInvalid):
        Tin.parse(f"{prefix}-1234567", TinKind.EIN)


@given(st.from_regex(r"\A[1-8][0-9]{2}(0[1-9]|[1-9][0-9])(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})\Z"))
def test_a_tin_never_shows_more_than_its_last_four_digits(digits: str) -> None:
    if digits.startswith("666"):
        return
    tin = Tin.parse(digits, TinKind.SSN)
    assert tin.masked == f"***-**-{digits[-4:]}"
    assert digits not in repr(tin) and digits not in str(tin) and digits not in f"{tin!r} {tin}"


def test_masks_follow_the_tin_kind() -> None:
    assert mask(TinKind.SSN, "6789") == "***-**-6789"
    assert mask(TinKind.EIN, "6789") == "**-***6789"


def _w9(tin: Tin | None, entity: UsEntityType = UsEntityType.INDIVIDUAL) -> object:
    return w9(
        uuid4(),
        legal_name="Ada Lovelace",
        entity_type=entity,
        tin=tin,
        sealed_tin="sealed" if tin else None,
        address="1 Main St",
        signer_name="Ada Lovelace",
        at=AT,
    )


def test_an_entity_other_than_an_individual_has_an_ein() -> None:
    with pytest.raises(TinInvalid) as refused:
        _w9(Tin.parse("123-45-6789", TinKind.SSN), UsEntityType.C_CORPORATION)
    assert refused.value.field == "tinType"


def test_withholding_by_form() -> None:
    rates = WithholdingRates()
    with_tin = w9(
        uuid4(),
        legal_name="A",
        entity_type=UsEntityType.LLC,
        tin=Tin.parse("12-3456789", TinKind.EIN),
        sealed_tin="x",
        address="a",
        signer_name="A",
        at=AT,
    )
    without = w9(
        uuid4(),
        legal_name="A",
        entity_type=UsEntityType.LLC,
        tin=None,
        sealed_tin=None,
        address="a",
        signer_name="A",
        at=AT,
    )
    assert rates.for_profile(with_tin) == 0
    assert rates.for_profile(without) == 2400

    def foreign(country: str, treaty: TreatyClaim | None = None) -> int:
        profile = w8(
            uuid4(),
            form=TaxForm.W8BEN_E,
            name="B",
            entity_type=ForeignEntityType.CORPORATION,
            country=country,
            address="b",
            treaty=treaty,
            signer_name="B",
            at=AT,
        )
        return rates.for_profile(profile)

    assert foreign("BR") == 3000  # no row: the default (the statutory 30 %)
    assert foreign("IN") == 1500  # the table's row
    assert foreign("BR", TreatyClaim("12", 1000)) == 1000  # a claim lowers it
    assert foreign("IN", TreatyClaim("12", 2500)) == 1500  # and never raises it


def test_a_us_person_gives_a_w9_not_a_w8() -> None:
    with pytest.raises(TaxProfileInvalid) as refused:
        w8(
            uuid4(),
            form=TaxForm.W8BEN,
            name="B",
            entity_type=None,
            country="us",
            address="b",
            treaty=None,
            signer_name="B",
            at=AT,
        )
    assert refused.value.field == "country"


def test_a_treaty_rate_is_a_rate() -> None:
    with pytest.raises(TaxProfileInvalid) as refused:
        TreatyClaim("12", 3001)
    assert refused.value.field == "treatyRateBasisPoints"
