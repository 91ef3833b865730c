"""Bodies of ``/api/payments/tax-profile``: one flat form (W-9, W-8BEN or W-8BEN-E); the TIN goes
in, and only ever comes out masked."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from msgspec import Meta

from devforge.application.billing.tax_profile_view import TaxProfileView
from devforge.entrypoints.http.schemas import NO_CONTROL_CHARACTERS, CamelStruct

Text = Annotated[str, NO_CONTROL_CHARACTERS, Meta(min_length=1, max_length=200)]
FormName = Literal["w9", "w8ben", "w8ben_e"]


class TaxProfileBody(CamelStruct):
    publisher_id: Annotated[UUID, Meta(description="The publisher (payee) you own")]
    form: Annotated[FormName, Meta(description="w9 (a US person), w8ben (an individual), w8ben_e (an entity)")]
    name: Annotated[Text, Meta(description="The legal name (W-9), the individual's or the entity's name (W-8)")]
    address: Annotated[str, NO_CONTROL_CHARACTERS, Meta(min_length=1, max_length=300)]
    signer_name: Annotated[Text, Meta(description="Who certifies the form (under penalties of perjury)")]
    entity_type: (
        Annotated[
            str,
            NO_CONTROL_CHARACTERS,
            Meta(
                max_length=20,
                description=(
                    "W-9: individual, sole_proprietor, c_corporation, s_corporation, partnership, trust_estate, llc; "
                    "W-8BEN-E: corporation, partnership, trust, estate, government, other; W-8BEN: individual"
                ),
            ),
        ]
        | None
    ) = None
    country: (
        Annotated[str, NO_CONTROL_CHARACTERS, Meta(min_length=2, max_length=2, description="W-8: ISO 3166-1 alpha-2")]
        | None
    ) = None
    tin_type: Annotated[Literal["ssn", "ein"] | None, Meta(description="W-9: the TIN's kind")] = None
    tin: (
        Annotated[
            str,
            NO_CONTROL_CHARACTERS,
            Meta(max_length=11, description="W-9: nine digits, dashes allowed; leave out for backup withholding"),
        ]
        | None
    ) = None
    treaty_article: (
        Annotated[str, NO_CONTROL_CHARACTERS, Meta(max_length=40, description="W-8: the treaty article claimed")] | None
    ) = None
    treaty_rate_basis_points: Annotated[int, Meta(ge=0, le=3000, description="W-8: the claimed rate")] | None = None


class TreatyResponse(CamelStruct):
    article: str
    rate_basis_points: int


class TaxProfileResponse(CamelStruct):
    publisher_id: UUID
    form: FormName
    name: str
    entity_type: str
    country: str
    address: str
    tin_type: str | None
    tin_masked: Annotated[str | None, Meta(examples=["***-**-6789"], description="The only way a TIN is shown")]
    treaty: TreatyResponse | None
    signer_name: str
    certified_at: datetime
    withholding_basis_points: Annotated[int, Meta(description="Withheld of each payout (2400: backup withholding)")]

    @classmethod
    def of(cls, view: TaxProfileView) -> TaxProfileResponse:
        treaty = TreatyResponse(view.treaty.article, view.treaty.rate_bp) if view.treaty else None
        return cls(
            view.publisher_id,
            view.form.value,
            view.name,
            view.entity_type,
            view.country,
            view.address,
            view.tin_type,
            view.tin_masked,
            treaty,
            view.signer_name,
            view.certified_at,
            view.withholding_basis_points,
        )
