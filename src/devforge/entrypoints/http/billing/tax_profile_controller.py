"""``/api/payments/tax-profile``: a publisher's owner certifies and reads its tax profile."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, Response, get, put
from litestar.di import NamedDependency
from litestar.openapi.spec import Example
from litestar.params import Body, PathParameter, QueryParameter

from devforge.application.billing.get_tax_form_pdf import GetTaxFormPdf
from devforge.application.billing.get_tax_profile import GetTaxProfile
from devforge.application.billing.submit_tax_profile import SubmitTaxProfile, SubmitTaxProfileHandler
from devforge.application.common.actor import Actor
from devforge.domain.billing.permissions import BillingPermission
from devforge.domain.billing.tax_profile import TaxForm, TinKind
from devforge.domain.billing.tax_reports import TaxReport
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.billing.documents_controller import PDF_ANSWER, pdf_response
from devforge.entrypoints.http.billing.tax_profile_schemas import TaxProfileBody, TaxProfileResponse
from devforge.entrypoints.http.openapi_docs import problems

_PUBLISHER = "6f1c1c3e-8a7b-4d55-9a53-0b9d7c2f1e10"
_EXAMPLES = [
    Example(
        summary="A W-9 (a US individual with an SSN)",
        value={
            "publisherId": _PUBLISHER,
            "form": "w9",
            "name": "Ada Lovelace",
            "entityType": "individual",
            "tinType": "ssn",
            "tin": "123-45-6789",
            "address": "1 Main St, Springfield, IL 62701",
            "signerName": "Ada Lovelace",
        },
    ),
    Example(
        summary="A W-8BEN-E with a treaty claim",
        value={
            "publisherId": _PUBLISHER,
            "form": "w8ben_e",
            "name": "Beispiel GmbH",
            "entityType": "corporation",
            "country": "DE",
            "address": "Hauptstr. 1, 10115 Berlin",
            "treatyArticle": "12",
            "treatyRateBasisPoints": 0,
            "signerName": "Grete Beispiel",
        },
    ),
]


class TaxProfileController(Controller):
    path = "/api/payments/tax-profile"
    tags = ["payments"]

    @put(
        "",
        guards=[require(BillingPermission.EXTENSIONS_SELL)],
        dependencies=GRANTED,
        security=BEARER,
        summary="Certify a publisher's tax profile",
        description=(
            "The owner of a publisher certifies its tax form before a first payout: `w9` for a US person (legal "
            "name, entity type, address and a TIN: an SSN, or an EIN for an entity; without one, 24% backup "
            "withholding applies), `w8ben` for an individual and `w8ben_e` for an entity outside the US (country of "
            "residence, optionally a treaty claim, which lowers the country's withholding rate). The TIN is checked "
            "for format, stored encrypted and only ever shown masked (`***-**-6789`, `**-***6789`). A new form "
            "replaces the one on file; the answer says what share of each payout is withheld. A publisher you do "
            "not own answers 404; a malformed TIN is 422 `tin_invalid` naming `tin`."
        ),
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def certify(
        self,
        data: Annotated[TaxProfileBody, Body(examples=_EXAMPLES)],
        actor: NamedDependency[Actor],
        handler: FromDishka[SubmitTaxProfileHandler],
    ) -> TaxProfileResponse:
        command = SubmitTaxProfile(
            publisher_id=data.publisher_id,
            form=TaxForm(data.form),
            name=data.name,
            address=data.address,
            signer_name=data.signer_name,
            entity_type=data.entity_type,
            country=data.country,
            tin_type=TinKind(data.tin_type) if data.tin_type else None,
            tin=data.tin,
            treaty_article=data.treaty_article,
            treaty_rate_bp=data.treaty_rate_basis_points,
        )
        return TaxProfileResponse.of(await handler(actor, command))

    @get(
        "",
        guards=[require(BillingPermission.EXTENSIONS_SELL)],
        dependencies=GRANTED,
        security=BEARER,
        summary="Read a publisher's tax profile",
        description=(
            "The tax profile on file for a publisher you own, the TIN masked, with the share of each payout "
            "withheld. 404 for a publisher you do not own, or one without a profile yet."
        ),
        responses=problems(400, 401, 403, 404, 429),
    )
    async def read(
        self,
        publisher_id: Annotated[UUID, QueryParameter(name="publisherId", description="The publisher (payee)")],
        actor: NamedDependency[Actor],
        handler: FromDishka[GetTaxProfile],
    ) -> TaxProfileResponse:
        return TaxProfileResponse.of(await handler(actor, publisher_id))

    @get(
        "/forms/{year:int}/{form:str}",
        guards=[require(BillingPermission.EXTENSIONS_SELL)],
        dependencies=GRANTED,
        security=BEARER,
        summary="Download your own copy of a year's Form 1099-K or 1099-NEC (PDF)",
        description=(
            "The payee's copy (Copy B) of the publisher's Form 1099-K (`1099-k.pdf`) or 1099-NEC (`1099-nec.pdf`) "
            "for a tax year, for the publisher's owner: the same document finance files. 404 for a publisher you "
            "do not own, or when the publisher is not reportable on that form that year."
        ),
        media_type="application/pdf",
        responses=PDF_ANSWER | problems(400, 401, 403, 404, 429),
    )
    async def own_form(
        self,
        year: Annotated[int, PathParameter(description="The tax year", ge=1900, le=2999)],
        form: Annotated[str, PathParameter(description="`1099-k.pdf` or `1099-nec.pdf`", pattern=_FORM_FILE)],
        publisher_id: Annotated[UUID, QueryParameter(name="publisherId", description="A publisher you own")],
        actor: NamedDependency[Actor],
        handler: FromDishka[GetTaxFormPdf],
    ) -> Response[bytes]:
        report = TaxReport.FORM_1099K if form == "1099-k.pdf" else TaxReport.FORM_1099NEC
        return pdf_response(*await handler(actor, year, report, publisher_id))


_FORM_FILE = r"^1099-(k|nec)\.pdf$"
