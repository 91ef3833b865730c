"""What the OpenAPI document states of a rule the domain checks is never wider than the rule: every
value drawn from a stated pattern passes the domain's own check (schemathesis draws the same way,
and a schema-valid request must not be refused)."""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.domain.billing.countries import US_STATES
from devforge.domain.billing.currency import Currency
from devforge.domain.identity.email import EmailAddress
from devforge.domain.licensing.errors import LicenseKeyMistyped
from devforge.domain.licensing.license_key import LicenseKey
from devforge.domain.licensing.product import Product
from devforge.domain.marketplace.publisher import Publisher
from devforge.domain.marketplace.semver import Version
from devforge.entrypoints.http import stated_rules

NOW = datetime(2026, 12, 6, tzinfo=UTC)


def drawn(pattern: str, max_size: int | None = None) -> st.SearchStrategy[str]:
    values = st.from_regex(pattern)
    return values if max_size is None else values.filter(lambda value: len(value) <= max_size)


@given(text=drawn(stated_rules.LICENSE_KEY))
def test_a_key_of_the_stated_shape_is_read_and_at_worst_has_a_typo(text: str) -> None:
    with contextlib.suppress(LicenseKeyMistyped):  # the check character is no pattern: a typo stays refused
        LicenseKey.parse(text)


@given(bits=st.integers(0, 2**145 - 1), lower=st.booleans(), spaced=st.booleans())
def test_every_key_the_service_issues_has_the_stated_shape(bits: int, lower: bool, spaced: bool) -> None:
    key = str(LicenseKey.from_bits(bits))
    key = key.lower() if lower else key
    key = key.replace("-", " ") if spaced else key
    assert re.search(stated_rules.LICENSE_KEY, key) and re.search(stated_rules.LICENSE_KEY, key[3:])
    assert not re.search(stated_rules.LICENSE_KEY, key[:-1]) and not re.search(stated_rules.LICENSE_KEY, key + "\n")


@given(text=drawn(stated_rules.SEMVER, stated_rules.SEMVER_MAX_LENGTH))
def test_a_stated_version_is_a_semantic_version(text: str) -> None:
    assert str(Version.parse(text)) or True


@given(text=drawn(stated_rules.NAMESPACE))
def test_a_stated_namespace_names_a_publisher(text: str) -> None:
    publisher = Publisher(
        id=uuid4(), namespace=text, display_name="Acme", owner_id=uuid4(), contact_email="a@b.cd", created_at=NOW
    )
    assert publisher.namespace == text


@given(text=drawn(stated_rules.NOT_BLANK, 100))
def test_a_stated_name_names_a_product(text: str) -> None:
    assert Product(id=uuid4(), owner_id=uuid4(), code="editor-pro", name=text, created_at=NOW).name


@given(text=drawn(stated_rules.EMAIL, stated_rules.EMAIL_MAX_LENGTH))
def test_a_stated_email_address_is_an_email_address(text: str) -> None:
    assert EmailAddress.parse(text).value == text.lower()


@given(text=drawn(stated_rules.DOMAIN_NAME, 253).filter(lambda text: len(text) >= 4))
def test_a_stated_domain_name_can_be_verified(text: str) -> None:
    publisher = Publisher(
        id=uuid4(), namespace="acme", display_name="Acme", owner_id=uuid4(), contact_email="a@b.cd", created_at=NOW
    )
    publisher.start_verification(text, "token")
    assert publisher.domain == text.lower()


def test_the_states_are_listed_in_order() -> None:
    assert sorted(US_STATES) == stated_rules.US_STATES and "CA" in stated_rules.US_STATES


@given(code=st.sampled_from(stated_rules.CURRENCIES))
def test_a_stated_currency_is_one_we_accept(code: str) -> None:
    assert Currency.of(code).code == code


@pytest.mark.parametrize("blank", ["", " ", "\u3000 \u00a0"])
def test_a_blank_name_is_not_stated_valid(blank: str) -> None:
    assert re.search(stated_rules.NOT_BLANK, blank) is None
