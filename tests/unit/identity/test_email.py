import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.errors import EmailInvalid


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("Ada@Example.com", "ada@example.com"),
        ("  ada.lovelace+forge@mail.example.org \n", "ada.lovelace+forge@mail.example.org"),
        ("ＡＤＡ@example.com", "ada@example.com"),  # full-width letters fold under NFKC
    ],
)
def test_addresses_are_normalized_so_one_mailbox_is_one_account(raw: str, normalized: str) -> None:
    assert EmailAddress.parse(raw).value == normalized


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "ada",
        "ada@",
        "@example.com",
        "ada@example",
        "a@b@example.com",
        "ada..x@example.com",
        ".ada@example.com",
        "ada@-example.com",
        "ada@example.123",
        "ada lovelace@example.com",
        "a" * 65 + "@example.com",
        "ada@" + "a" * 250 + ".com",
        "ada\n@example.com",  # a line feed where a "$" anchor would let it through
        "ada@example\n.com",
        "ada@mail\n.example.com",
    ],
)
def test_malformed_addresses_are_refused_naming_the_field(raw: str) -> None:
    with pytest.raises(EmailInvalid) as refused:
        EmailAddress.parse(raw)
    assert refused.value.field == "email"


@given(st.emails())
def test_normalizing_twice_changes_nothing(address: str) -> None:
    try:
        once = EmailAddress.parse(address)
    except EmailInvalid:
        return
    assert EmailAddress.parse(once.value) == once
