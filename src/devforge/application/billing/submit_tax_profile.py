"""A publisher's owner certifies its tax profile (a W-9, W-8BEN or W-8BEN-E) before a first
payout. Only the owner of the publisher may: anyone else is told there is no such publisher
(404), exactly as for a missing one. The TIN is checked for format, then sealed by the
``SecretBox`` under the publisher's own context before anything is stored; what comes back
shows it masked. A new certification replaces the one on file."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar
from uuid import UUID

from devforge.application.billing.extension_sellers import ExtensionSellers
from devforge.application.billing.tax_profile_ports import TaxProfileRepository
from devforge.application.billing.tax_profile_view import TaxProfileView
from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.secret_box import SecretBox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.billing.tax_errors import PayeeNotFound, TaxProfileInvalid, TinInvalid
from devforge.domain.billing.tax_profile import (
    ForeignEntityType,
    TaxForm,
    TaxProfile,
    Tin,
    TinKind,
    TreatyClaim,
    UsEntityType,
    tin_context,
    w8,
    w9,
)
from devforge.domain.billing.withholding import WithholdingRates


@dataclass(frozen=True, slots=True)
class SubmitTaxProfile:
    """One form's fields, flat: a W-9 names a US ``entity_type`` and may give ``tin_type`` and
    ``tin``; a W-8BEN an individual's ``country``; a W-8BEN-E an entity's ``country`` and
    ``entity_type``; a W-8 may claim a treaty (``treaty_article`` and ``treaty_rate_bp``)."""

    publisher_id: UUID
    form: TaxForm
    name: str
    address: str
    signer_name: str
    entity_type: str | None = None
    country: str | None = None
    tin_type: TinKind | None = None
    tin: str | None = None
    treaty_article: str | None = None
    treaty_rate_bp: int | None = None

    def __repr__(self) -> str:  # never the TIN, even in a traceback's locals
        return f"SubmitTaxProfile({self.publisher_id}, {self.form.value})"


_E = TypeVar("_E", bound=StrEnum)


class SubmitTaxProfileHandler:
    def __init__(
        self,
        uow: UnitOfWork,
        profiles: TaxProfileRepository,
        sellers: ExtensionSellers,
        box: SecretBox,
        rates: WithholdingRates,
        clock: Clock,
    ) -> None:
        self._uow, self._profiles, self._sellers, self._box = uow, profiles, sellers, box
        self._rates, self._clock = rates, clock

    async def __call__(self, actor: Actor, command: SubmitTaxProfile) -> TaxProfileView:
        seller = await self._sellers.seller(command.publisher_id)
        if seller is None or seller.owner_id != actor.user_id:
            raise PayeeNotFound("No publisher you own has this id.", field="publisherId")
        profile = self._profile(command)
        await self._profiles.save(profile)
        await self._uow.commit()
        return TaxProfileView.of(profile, self._rates)

    def _profile(self, command: SubmitTaxProfile) -> TaxProfile:
        now = self._clock.now()
        if command.form is TaxForm.W9:
            tin = _tin(command)
            sealed = self._box.seal(tin.digits, context=tin_context(command.publisher_id)) if tin else None
            return w9(
                command.publisher_id,
                legal_name=command.name,
                entity_type=_choice(UsEntityType, command.entity_type),
                tin=tin,
                sealed_tin=sealed,
                address=command.address,
                signer_name=command.signer_name,
                at=now,
            )
        if command.tin is not None or command.tin_type is not None:
            raise TaxProfileInvalid("A W-8 gives no US TIN here; a US person certifies a W-9.", field="tin")
        if (command.treaty_article is None) != (command.treaty_rate_bp is None):
            raise TaxProfileInvalid("A treaty claim names its article and its rate.", field="treatyArticle")
        treaty = None
        if command.treaty_article is not None and command.treaty_rate_bp is not None:
            treaty = TreatyClaim(command.treaty_article, command.treaty_rate_bp)
        entity = None
        if command.form is TaxForm.W8BEN_E:
            entity = _choice(ForeignEntityType, command.entity_type)
        elif command.entity_type not in (None, "individual"):
            raise TaxProfileInvalid("A W-8BEN is an individual's; an entity certifies a W-8BEN-E.", field="entityType")
        return w8(
            command.publisher_id,
            form=command.form,
            name=command.name,
            entity_type=entity,
            country=command.country or "",
            address=command.address,
            treaty=treaty,
            signer_name=command.signer_name,
            at=now,
        )


def _tin(command: SubmitTaxProfile) -> Tin | None:
    if command.tin is not None and command.tin_type is None:
        raise TinInvalid("Say whether the TIN is an SSN or an EIN.", field="tinType")
    if command.tin_type is None:
        return None
    return Tin.parse(command.tin or "", command.tin_type)


def _choice(kind: type[_E], value: str | None) -> _E:
    try:
        return kind(value or "")
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise TaxProfileInvalid(f"The entity type is one of: {allowed}.", field="entityType") from None
