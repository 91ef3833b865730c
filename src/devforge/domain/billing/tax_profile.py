"""A publisher's tax profile: the form its owner certified before a first payout, and what it
means for the share of each payout withheld.

- **W-9** (a US person): legal name, US entity type, address, and a TIN: an SSN (area not 000,
  666 or 900-999, group not 00, serial not 0000) or an EIN (its first two digits an IRS campus
  prefix); an entity other than an individual or a sole proprietor has an EIN. A W-9 without a
  TIN is accepted (the TIN is "applied for") and means 24 % backup withholding.
- **W-8BEN** (an individual, not a US person) and **W-8BEN-E** (an entity, not a US person):
  name, country of residence (never the US: a US person gives a W-9), address, and optionally a
  treaty claim (the article and the rate it allows), which lowers the country's rate, never
  raises it (``withholding.py``).

Each certification records who signed and when. The TIN is never held here in plain text: the
use case seals it (``SealedTin``: the sealed value, its kind and its last four digits, which is
all the masked form shows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from devforge.domain.billing.countries import country_code
from devforge.domain.billing.tax_errors import TaxProfileInvalid, TinInvalid


class TaxForm(StrEnum):
    W9 = "w9"
    W8BEN = "w8ben"
    W8BEN_E = "w8ben_e"


class TinKind(StrEnum):
    SSN = "ssn"
    EIN = "ein"


class UsEntityType(StrEnum):
    INDIVIDUAL = "individual"
    SOLE_PROPRIETOR = "sole_proprietor"
    C_CORPORATION = "c_corporation"
    S_CORPORATION = "s_corporation"
    PARTNERSHIP = "partnership"
    TRUST_ESTATE = "trust_estate"
    LLC = "llc"


class ForeignEntityType(StrEnum):
    CORPORATION = "corporation"
    PARTNERSHIP = "partnership"
    TRUST = "trust"
    ESTATE = "estate"
    GOVERNMENT = "government"
    OTHER = "other"


# IRS, "How EINs are assigned and valid EIN prefixes": the campus prefixes in use.
_EIN_PREFIXES = frozenset(
    {
        *range(1, 7), *range(10, 17), *range(20, 28), *range(30, 49), *range(50, 69), *range(71, 78),
        *range(80, 89), *range(90, 96), 98, 99,
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Tin:
    """A format-checked US taxpayer identification number (nine digits). Its ``repr`` is masked,
    so a TIN that reaches a log line or a traceback shows no more than its last four digits."""

    kind: TinKind
    digits: str

    @classmethod
    def parse(cls, raw: str, kind: TinKind, *, field: str = "tin") -> Tin:
        digits = raw.replace("-", "").replace(" ", "")
        if len(digits) != 9 or not digits.isascii() or not digits.isdigit():
            raise TinInvalid(f"An {kind.value.upper()} has nine digits.", field=field)
        if kind is TinKind.SSN:
            area, group, serial = int(digits[:3]), digits[3:5], digits[5:]
            if area in (0, 666) or area >= 900 or group == "00" or serial == "0000":
                raise TinInvalid("Not a valid SSN (area, group or serial number never issued).", field=field)
        elif int(digits[:2]) not in _EIN_PREFIXES:
            raise TinInvalid("Not a valid EIN (its prefix is no IRS campus's).", field=field)
        return cls(kind, digits)

    @property
    def masked(self) -> str:
        return mask(self.kind, self.digits[-4:])

    def __repr__(self) -> str:
        return f"Tin({self.kind.value}, {self.masked})"

    __str__ = __repr__


def mask(kind: TinKind, last4: str) -> str:
    """``***-**-1234`` for an SSN, ``**-***1234`` for an EIN: the only way a TIN is ever shown."""
    return f"***-**-{last4}" if kind is TinKind.SSN else f"**-***{last4}"


@dataclass(frozen=True, slots=True)
class SealedTin:
    kind: TinKind
    last4: str
    sealed: str  # the SecretBox's sealed value, under the context ``tin_context(publisher)``

    @property
    def masked(self) -> str:
        return mask(self.kind, self.last4)


def tin_context(publisher_id: UUID) -> str:
    """What a TIN is sealed under: it opens for its own publisher only."""
    return f"billing:tax-tin:{publisher_id}"


@dataclass(frozen=True, slots=True)
class TreatyClaim:
    article: str  # e.g. "12" (royalties) of the treaty between the payee's country and the US
    rate_bp: int  # the rate the article allows, in basis points

    def __post_init__(self) -> None:
        if not self.article.strip() or len(self.article) > 40:
            raise TaxProfileInvalid("Name the treaty article (up to 40 characters).", field="treatyArticle")
        if not 0 <= self.rate_bp <= 3000:
            raise TaxProfileInvalid("A treaty rate is 0 to 3000 basis points.", field="treatyRateBasisPoints")


@dataclass(frozen=True, slots=True)
class TaxProfile:
    publisher_id: UUID
    form: TaxForm
    name: str  # the legal name (W-9), the individual's or the entity's name (W-8)
    entity_type: str  # a UsEntityType (W-9), ForeignEntityType (W-8BEN-E), "individual" (W-8BEN)
    country: str  # "US" for a W-9; the country of residence for a W-8
    address: str
    tin: SealedTin | None  # W-9 only; None: not given (backup withholding)
    treaty: TreatyClaim | None  # W-8 only
    signer_name: str
    certified_at: datetime

    @property
    def us_person(self) -> bool:
        return self.form is TaxForm.W9


def w9(
    publisher_id: UUID,
    *,
    legal_name: str,
    entity_type: UsEntityType,
    tin: Tin | None,
    sealed_tin: str | None,
    address: str,
    signer_name: str,
    at: datetime,
) -> TaxProfile:
    if tin is not None and tin.kind is TinKind.SSN and entity_type not in _SSN_HOLDERS:
        raise TinInvalid("An entity other than an individual or a sole proprietor has an EIN.", field="tinType")
    if (tin is None) != (sealed_tin is None):
        raise ValueError("A TIN is stored sealed, and only a given one.")
    sealed = SealedTin(tin.kind, tin.digits[-4:], sealed_tin) if tin is not None and sealed_tin else None
    return TaxProfile(
        publisher_id,
        TaxForm.W9,
        _text(legal_name, "name"),
        entity_type.value,
        "US",
        _text(address, "address", 300),
        sealed,
        None,
        _text(signer_name, "signerName"),
        at,
    )


def w8(
    publisher_id: UUID,
    *,
    form: TaxForm,
    name: str,
    entity_type: ForeignEntityType | None,
    country: str,
    address: str,
    treaty: TreatyClaim | None,
    signer_name: str,
    at: datetime,
) -> TaxProfile:
    """A W-8BEN (``entity_type`` None: an individual) or a W-8BEN-E (an entity type required)."""
    residence = country_code(country, field="country")
    if residence == "US":
        raise TaxProfileInvalid("A US person certifies a W-9, not a W-8.", field="country")
    if form is TaxForm.W8BEN_E and entity_type is None:
        raise TaxProfileInvalid("A W-8BEN-E names the entity's type.", field="entityType")
    kind = "individual" if form is TaxForm.W8BEN else str(entity_type)
    return TaxProfile(
        publisher_id,
        form,
        _text(name, "name"),
        kind,
        residence,
        _text(address, "address", 300),
        None,
        treaty,
        _text(signer_name, "signerName"),
        at,
    )


_SSN_HOLDERS = frozenset({UsEntityType.INDIVIDUAL, UsEntityType.SOLE_PROPRIETOR})


def _text(value: str, field: str, limit: int = 200) -> str:
    text = " ".join(value.split())
    if not text or len(text) > limit:
        raise TaxProfileInvalid(f"Give 1 to {limit} characters.", field=field)
    return text
