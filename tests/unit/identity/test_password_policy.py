import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.domain.identity.errors import PasswordRejected
from devforge.domain.identity.password_policy import MAX_LENGTH, MIN_LENGTH, _common_passwords, check_password


def test_the_list_holds_the_3000_most_common_passwords() -> None:
    common = _common_passwords()
    assert len(common) == 3000
    assert {"password", "123456", "qwerty", "dragon"} <= common


@pytest.mark.parametrize("password", ["password", "PASSWORD", "Password1", "12345678", "iloveyou", "Sunshine"])
def test_common_passwords_are_refused_whatever_their_case(password: str) -> None:
    with pytest.raises(PasswordRejected, match="common"):
        check_password(password)


def test_length_is_between_8_and_128_characters() -> None:
    check_password("x7!kQ#2p")
    check_password("ž" * MAX_LENGTH)
    with pytest.raises(PasswordRejected, match="at least 8"):
        check_password("x7!kQ#2")
    with pytest.raises(PasswordRejected, match="at most 128"):
        check_password("x" * (MAX_LENGTH + 1))


@given(st.text(min_size=MIN_LENGTH, max_size=MAX_LENGTH).filter(lambda p: p.casefold() not in _common_passwords()))
def test_any_uncommon_password_of_allowed_length_is_accepted(password: str) -> None:
    check_password(password)
