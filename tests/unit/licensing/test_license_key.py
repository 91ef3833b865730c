"""License keys: >= 128 random bits, readable, and a check character that catches typos."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from devforge.domain.licensing.errors import LicenseKeyMalformed
from devforge.domain.licensing.license_key import ALPHABET, RANDOM_BITS, VISIBLE_CHARACTERS, LicenseKey

keys = st.integers(0, (1 << RANDOM_BITS) - 1).map(LicenseKey.from_bits)


def body(key: LicenseKey) -> list[str]:
    """The 30 key characters (29 random + the check character), without prefix and dashes."""
    return list(str(key).removeprefix("DF-").replace("-", ""))


def test_a_key_is_prefixed_grouped_and_carries_at_least_128_random_bits() -> None:
    key = LicenseKey.generate()
    prefix, *groups = str(key).split("-")
    assert prefix == "DF" and [len(group) for group in groups] == [5] * 6
    assert set("".join(groups)) <= set(ALPHABET)
    assert RANDOM_BITS >= 128 and len(ALPHABET) == 32  # 29 characters of 5 bits, all from `secrets`
    assert RANDOM_BITS - 5 * VISIBLE_CHARACTERS >= 128  # even what the visible prefix leaves unsaid
    assert len({str(LicenseKey.generate()) for _ in range(1000)}) == 1000


@given(keys)
def test_a_generated_key_parses_back_to_itself(key: LicenseKey) -> None:
    assert LicenseKey.parse(str(key)) == key


@given(keys, st.data())
def test_parsing_forgives_case_spacing_dashes_the_prefix_and_crockford_look_alikes(
    key: LicenseKey, data: st.DataObject
) -> None:
    text = "".join(body(key)).replace("0", "O").replace("1", data.draw(st.sampled_from(["I", "L", "i", "l"])))
    spaced = " ".join(text[i : i + 3] for i in range(0, len(text), 3)).lower()
    assert LicenseKey.parse(spaced) == key
    assert LicenseKey.parse(f"  df-{text}\n") == key


@given(keys, st.data())
def test_any_single_mistyped_character_is_rejected(key: LicenseKey, data: st.DataObject) -> None:
    characters = body(key)
    position = data.draw(st.integers(0, len(characters) - 1))
    typo = data.draw(st.sampled_from([c for c in ALPHABET if c != characters[position]]))
    characters[position] = typo
    with pytest.raises(LicenseKeyMalformed):
        LicenseKey.parse("".join(characters))


@given(keys, st.data())
def test_any_swap_of_two_adjacent_different_characters_is_rejected(key: LicenseKey, data: st.DataObject) -> None:
    characters = body(key)
    swappable = [i for i in range(len(characters) - 1) if characters[i] != characters[i + 1]]
    assume(swappable)  # only the all-zero key has none
    position = data.draw(st.sampled_from(swappable))
    characters[position], characters[position + 1] = characters[position + 1], characters[position]
    with pytest.raises(LicenseKeyMalformed):
        LicenseKey.parse("".join(characters))


@pytest.mark.parametrize(
    "text",
    ["", "DF-", "DF-ABCDE", "not a key at all, not a key at all", "DF-UUUUU-UUUUU-UUUUU-UUUUU-UUUUU-UUUUU"],
)
def test_text_of_the_wrong_shape_is_not_a_key(text: str) -> None:
    with pytest.raises(LicenseKeyMalformed):
        LicenseKey.parse(text)


def test_a_key_never_shows_itself_in_a_repr_and_cannot_be_built_unchecked() -> None:
    key = LicenseKey.generate()
    assert str(key) not in repr(key) and key.visible_prefix in repr(key)
    assert key.visible_prefix == str(key)[: len("DF-") + VISIBLE_CHARACTERS]
    with pytest.raises(ValueError, match="parse"):
        LicenseKey(str(key).lower())


@pytest.mark.parametrize("seed", [1, 2**144 + 12345, (1 << RANDOM_BITS) - 1])
def test_exhaustively_every_substitution_and_adjacent_swap_of_a_key_is_rejected(seed: int) -> None:
    characters = body(LicenseKey.from_bits(seed))
    for position, original in enumerate(characters):
        for typo in ALPHABET.replace(original, ""):
            with pytest.raises(LicenseKeyMalformed):
                LicenseKey.parse("".join([*characters[:position], typo, *characters[position + 1 :]]))
        if position + 1 < len(characters) and original != characters[position + 1]:
            swapped = [*characters[:position], characters[position + 1], original, *characters[position + 2 :]]
            with pytest.raises(LicenseKeyMalformed):
                LicenseKey.parse("".join(swapped))
