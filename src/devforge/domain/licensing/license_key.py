"""License keys: 145 random bits a person can read aloud, with a check character.

Format: ``DF-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX``: 29 random Crockford base32 characters
(5 bits each, from ``secrets``) and one check character, in six groups of five.

The check character is Damm's algorithm over GF(32) (``x * y = 2x XOR y``, a totally
anti-symmetric quasigroup), so every single mistyped character and every swap of two adjacent
characters is caught by :meth:`LicenseKey.parse` before any lookup, and the check character stays
in the same alphabet. Parsing forgives what people do: any case, spaces or dashes anywhere, a
missing ``DF-`` prefix, and Crockford's look-alikes (O for 0, I and L for 1).

Only the pure parts live here; hashing the key (HMAC with a server secret) is a port of the
application layer. The key's ``repr`` hides all but its visible prefix so it never lands in a log.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from devforge.domain.licensing.errors import LicenseKeyMalformed, LicenseKeyMistyped

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "DF"
RANDOM_CHARACTERS = 29
RANDOM_BITS = RANDOM_CHARACTERS * 5
GROUP = 5
VISIBLE_CHARACTERS = 3  # shown after the prefix; the other 130 random bits stay undisclosed
_VALUES = {char: value for value, char in enumerate(ALPHABET)} | {"O": 0, "I": 1, "L": 1}
_REDUCTION = 0b100101  # x^5 + x^2 + 1, primitive over GF(2)


def _times_two(value: int) -> int:
    doubled = value << 1
    return doubled ^ _REDUCTION if doubled & 0b100000 else doubled


def _damm(values: list[int]) -> int:
    """The interim digit after ``values``; a string with its check digit ends at 0."""
    interim = 0
    for value in values:
        interim = _times_two(interim) ^ value
    return interim


def check_character(body: str) -> str:
    """The character that brings the Damm interim of ``body`` (canonical characters) to 0."""
    return ALPHABET[_times_two(_damm([_VALUES[char] for char in body]))]


@dataclass(frozen=True)
class LicenseKey:
    """A well-formed key in canonical form (``str(key)``); build one with generate or parse."""

    text: str = field(repr=False)

    @classmethod
    def generate(cls) -> LicenseKey:
        return cls.from_bits(secrets.randbits(RANDOM_BITS))

    @classmethod
    def from_bits(cls, number: int) -> LicenseKey:
        """The key for these 145 bits; real keys take them from ``secrets`` (``generate``)."""
        if not 0 <= number < 1 << RANDOM_BITS:
            raise ValueError(f"a key holds {RANDOM_BITS} bits")
        body = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(RANDOM_CHARACTERS))
        return cls(_grouped(body + check_character(body)))

    @classmethod
    def parse(cls, text: str) -> LicenseKey:
        key = object.__new__(cls)  # _canonical has checked it: __post_init__ would check again
        object.__setattr__(key, "text", _canonical(text))
        return key

    def __post_init__(self) -> None:
        if _canonical(self.text) != self.text:
            raise ValueError("build keys with LicenseKey.parse or LicenseKey.generate")

    @property
    def visible_prefix(self) -> str:
        """What lists and receipts show to tell keys apart, e.g. ``DF-K7Q``."""
        return self.text[: len(PREFIX) + 1 + VISIBLE_CHARACTERS]

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"LicenseKey({self.visible_prefix}…)"


def _canonical(text: str) -> str:
    compact = "".join(text.split()).replace("-", "").upper()
    if len(compact) == RANDOM_CHARACTERS + 1 + len(PREFIX) and compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    if len(compact) != RANDOM_CHARACTERS + 1 or any(char not in _VALUES for char in compact):
        raise LicenseKeyMalformed("This is not a license key.", field="key")
    values = [_VALUES[char] for char in compact]
    if _damm(values) != 0:
        raise LicenseKeyMistyped("This license key has a typo.", field="key")
    return _grouped("".join(ALPHABET[value] for value in values))


def _grouped(characters: str) -> str:
    groups = [characters[i : i + GROUP] for i in range(0, len(characters), GROUP)]
    return "-".join([PREFIX, *groups])
