"""``/api/licenses``: issuing, validating, activating and managing licenses.

Signed-in routes take the ``Actor`` their guard built; the ones that reach other people's
licenses name ``licensing:admin`` as their override. Client routes (validate, activate, deactivate,
heartbeat) need no user: the key is the credential, sent as ``Authorization: License <key>``.
"""

from __future__ import annotations

from typing import Annotated, Any, cast

import msgspec
from dishka.integrations.litestar import FromDishka
from litestar import Controller, Request, Response, delete, get, post, put
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException, ValidationException
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from devforge.application.common.actor import Actor
from devforge.application.licensing.activate_license import ActivateLicense, ActivateLicenseHandler
from devforge.application.licensing.deactivate_machine import DeactivateMachine, DeactivateMachineHandler
from devforge.application.licensing.generate_license import GenerateLicense, GenerateLicenseHandler
from devforge.application.licensing.get_license import GetLicense
from devforge.application.licensing.list_my_licenses import ListMyLicenses
from devforge.application.licensing.offline_files import RESPONSE_SIGNATURE_HEADER, OfflineLicenses
from devforge.application.licensing.ping_heartbeat import PingHeartbeat, PingHeartbeatHandler
from devforge.application.licensing.reinstate_license import ReinstateLicenseHandler
from devforge.application.licensing.renew_license import RenewLicenseHandler
from devforge.application.licensing.revoke_license import RevokeLicenseHandler
from devforge.application.licensing.suspend_license import SuspendLicenseHandler
from devforge.application.licensing.validate_license import ValidateLicenseHandler
from devforge.domain.licensing.errors import LicenseKeyMalformed, LicenseKeyMistyped, LicenseNotFound
from devforge.domain.licensing.license_key import LicenseKey
from devforge.domain.licensing.permissions import LicensingPermission
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.licensing.schemas import (
    ActivateRequest,
    GeneratedLicenseResponse,
    GenerateLicenseRequest,
    LicenseResponse,
    MachineRequest,
    MachineResponse,
    RevokeRequest,
    ValidateLicenseRequest,
    ValidationResponse,
)
from devforge.entrypoints.http.licensing.validation_answer import signed_answer, validate_command
from devforge.entrypoints.http.openapi_docs import problems
from devforge.entrypoints.http.schemas import LINE_PATTERN
from devforge.entrypoints.http.stated_rules import LICENSE_KEY

LICENSE_AUTH = "Send the key as 'Authorization: License <key>'."
KEY_PATH = "/{license_key:str}"
KeyInPath = Annotated[str, PathParameter(pattern=LINE_PATTERN, schema_extra={"pattern": LICENSE_KEY})]
"""The schema states the key's shape; ``path_key`` checks it."""
SIGNATURE_HEADER_DOC = ResponseHeader(
    name=RESPONSE_SIGNATURE_HEADER,
    description="kid=<key id>;ts=<unix seconds>;sig=<Ed25519, base64url> over the body, the time and the nonce",
    documentation_only=True,
)


def license_key_header(request: Request[Any, Any, Any]) -> str | None:
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    return key.strip() if scheme.lower() == "license" and key.strip() else None


def required_license_key(request: Request[Any, Any, Any]) -> str:
    key = license_key_header(request)
    if key is None:
        raise NotAuthorizedException(detail=LICENSE_AUTH, headers={"WWW-Authenticate": "License"})
    return key


def path_key(license_key: str) -> LicenseKey:
    """A key of the wrong shape in the path is 422 naming ``licenseKey`` (the schema states the
    shape); one whose check character is wrong names no license: 404, before any lookup."""
    try:
        return LicenseKey.parse(license_key)
    except LicenseKeyMistyped as error:
        raise LicenseNotFound(f"No such license: {error.message.lower()}", field="licenseKey") from None
    except LicenseKeyMalformed as error:
        raise LicenseKeyMalformed(error.message, field="licenseKey") from None


async def reason_in_body(request: Request[Any, Any, Any]) -> str | None:
    """An optional JSON body ``{"reason": ...}``; none at all is fine."""
    body = await request.body()
    if not body.strip():
        return None
    try:
        return msgspec.json.decode(body, type=RevokeRequest).reason
    except (msgspec.DecodeError, msgspec.ValidationError) as error:
        raise ValidationException(detail=f'The body must be {{"reason": ...}}: {error}') from None


class LicensesController(Controller):
    path = "/api/licenses"
    tags = ["licenses"]

    @get(
        "/",
        guards=[require(LicensingPermission.LICENSES_READ_OWN)],
        dependencies=GRANTED,
        security=BEARER,
        summary="List my licenses",
        description="The licenses issued to you; never their keys, only the visible prefix.",
        responses=problems(400, 401, 403, 429),
    )
    async def list_mine(
        self, actor: NamedDependency[Actor], handler: FromDishka[ListMyLicenses]
    ) -> list[LicenseResponse]:
        return [LicenseResponse.of(view) for view in await handler(actor)]

    @post(
        "/generate",
        status_code=HTTP_201_CREATED,
        guards=[require(LicensingPermission.LICENSES_MANAGE, override=LicensingPermission.ADMIN)],
        dependencies=GRANTED,
        security=BEARER,
        summary="Issue a license",
        description=(
            "By the product's owner or an admin, from one of the product's policies, to a customer. "
            "Answers the full key once; only its digest is kept. Someone else's policy answers 404."
        ),
        responses=problems(400, 401, 403, 404, 422, 429),
        opt={"answers_secrets": True},
    )
    async def generate(
        self,
        data: JSONBody[GenerateLicenseRequest],
        actor: NamedDependency[Actor],
        handler: FromDishka[GenerateLicenseHandler],
    ) -> GeneratedLicenseResponse:
        command = GenerateLicense(
            policy_id=data.policy_id, user_id=data.user_id, order_id=data.order_id, product_id=data.product_id
        )
        return GeneratedLicenseResponse.of(await handler(actor, command))

    @post(
        "/validate",
        status_code=HTTP_200_OK,
        summary="Validate a license key",
        description=(
            "The key goes in 'Authorization: License <key>' or in the body; no user token is needed. "
            "Always 200 for a well-formed request: `valid` and `code` (VALID, NOT_FOUND, REVOKED, "
            "EXPIRED, ...) say the verdict; `nonce` is echoed back. The `Devforge-Signature` header "
            "(`kid=...;ts=...;sig=...`) signs the exact body, its time and the nonce (empty when none was "
            "sent) with a key from `GET /api/licenses/public-keys`."
        ),
        responses=problems(400, 401, 422, 429),
        response_headers=[SIGNATURE_HEADER_DOC],
        opt={"rate_limit": "license", "answers_current_state": True},
    )
    async def validate(
        self,
        data: JSONBody[ValidateLicenseRequest],
        request: Request[Any, Any, Any],
        handler: FromDishka[ValidateLicenseHandler],
        offline: FromDishka[OfflineLicenses],
    ) -> Response[ValidationResponse]:
        key = license_key_header(request) or data.key
        if key is None:
            raise NotAuthorizedException(detail=LICENSE_AUTH, headers={"WWW-Authenticate": "License"})
        result = await handler(validate_command(data, key))
        body, signature = signed_answer(result, data, offline)
        # The exact bytes that were signed go out as they are (Litestar sends bytes untouched).
        return Response(cast(ValidationResponse, body), headers={RESPONSE_SIGNATURE_HEADER: signature})

    @post(
        "/activate",
        summary="Activate a license on a machine",
        description=(
            "With 'Authorization: License <key>'. 201 with a new machine; 200 with the machine when the "
            "fingerprint is already active. Past the limit: 409 with code MACHINE_LIMIT_EXCEEDED."
        ),
        responses={**problems(400, 401, 403, 404, 409, 422, 429)},
        opt={"rate_limit": "license"},
    )
    async def activate(
        self,
        data: JSONBody[ActivateRequest],
        request: Request[Any, Any, Any],
        handler: FromDishka[ActivateLicenseHandler],
    ) -> Response[MachineResponse]:
        key = required_license_key(request)
        activation = await handler(ActivateLicense(key=key, fingerprint=data.fingerprint, name=data.name))
        status = HTTP_201_CREATED if activation.new else HTTP_200_OK
        return Response(MachineResponse.of(activation.machine), status_code=status)

    @post(
        "/deactivate",
        status_code=HTTP_200_OK,
        summary="Deactivate a machine",
        description=(
            "With 'Authorization: License <key>': frees the seat of the machine with this fingerprint. "
            "Spends the license's rolling 30-day self-service allowance (429 when it is used up)."
        ),
        responses=problems(400, 401, 403, 404, 422, 429),
        opt={"rate_limit": "license"},
    )
    async def deactivate(
        self,
        data: JSONBody[MachineRequest],
        request: Request[Any, Any, Any],
        handler: FromDishka[DeactivateMachineHandler],
    ) -> MachineResponse:
        key = required_license_key(request)
        return MachineResponse.of(await handler(DeactivateMachine(key=key, fingerprint=data.fingerprint)))

    @post(
        "/heartbeat",
        status_code=HTTP_200_OK,
        summary="Ping a machine's heartbeat",
        description="With 'Authorization: License <key>': the machine with this fingerprint is alive.",
        responses=problems(400, 401, 403, 404, 422, 429),
        opt={"rate_limit": "license"},
    )
    async def heartbeat(
        self,
        data: JSONBody[MachineRequest],
        request: Request[Any, Any, Any],
        handler: FromDishka[PingHeartbeatHandler],
    ) -> MachineResponse:
        key = required_license_key(request)
        return MachineResponse.of(await handler(PingHeartbeat(key=key, fingerprint=data.fingerprint)))

    @get(
        KEY_PATH,
        guards=[require(LicensingPermission.LICENSES_READ_OWN, override=LicensingPermission.ADMIN)],
        dependencies=GRANTED,
        security=BEARER,
        summary="Show a license",
        description=(
            "Its customer, the product's owner or an admin; anyone else gets 404, like a missing license, "
            "even when they hold the key. A key of the wrong shape is 422 naming `licenseKey`; one with a "
            "typo (its check character does not match) names no license: 404."
        ),
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def show(
        self,
        license_key: KeyInPath,
        actor: NamedDependency[Actor],
        handler: FromDishka[GetLicense],
    ) -> LicenseResponse:
        return LicenseResponse.of(await handler(actor, key=str(path_key(license_key))))

    @get(
        f"{KEY_PATH}/machines",
        guards=[require(LicensingPermission.LICENSES_READ_OWN, override=LicensingPermission.ADMIN)],
        dependencies=GRANTED,
        security=BEARER,
        summary="List a license's machines",
        description=(
            "The machines active on the license. Its customer, the product's owner or an admin; anyone "
            "else gets 404, like a missing license, as does a key with a typo. A key of the wrong shape is "
            "422 naming `licenseKey`."
        ),
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def machines(
        self,
        license_key: KeyInPath,
        actor: NamedDependency[Actor],
        handler: FromDishka[GetLicense],
    ) -> list[MachineResponse]:
        view = await handler(actor, key=str(path_key(license_key)))
        return [MachineResponse.of(machine) for machine in view.machines]

    @put(
        f"{KEY_PATH}/renew",
        guards=[require(LicensingPermission.LICENSES_MANAGE, override=LicensingPermission.ADMIN)],
        dependencies=GRANTED,
        security=BEARER,
        summary="Renew a license",
        description="By the product's owner or an admin: extends the expiry by the policy's term.",
        responses=problems(400, 401, 403, 404, 409, 422, 429),
    )
    async def renew(
        self,
        license_key: KeyInPath,
        actor: NamedDependency[Actor],
        handler: FromDishka[RenewLicenseHandler],
    ) -> LicenseResponse:
        return LicenseResponse.of(await handler(actor, path_key(license_key)))

    @delete(
        KEY_PATH,
        status_code=HTTP_200_OK,
        guards=[require(LicensingPermission.LICENSES_MANAGE, override=LicensingPermission.ADMIN)],
        dependencies=GRANTED,
        security=BEARER,
        summary="Revoke a license",
        description=(
            "By the product's owner or an admin; final, and soft: the license stays, answering REVOKED. "
            'The reason goes in the `reason` query parameter or a JSON body `{"reason": ...}`.'
        ),
        responses=problems(400, 401, 403, 404, 409, 422, 429),
    )
    async def revoke(
        self,
        license_key: KeyInPath,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        handler: FromDishka[RevokeLicenseHandler],
        reason: Annotated[str | None, QueryParameter(pattern=LINE_PATTERN, max_length=500, required=False)] = None,
    ) -> LicenseResponse:
        reason = await reason_in_body(request) or reason
        return LicenseResponse.of(await handler(actor, path_key(license_key), reason or "revoked"))

    @post(
        f"{KEY_PATH}/suspend",
        status_code=HTTP_200_OK,
        guards=[require(LicensingPermission.LICENSES_MANAGE, override=LicensingPermission.ADMIN)],
        dependencies=GRANTED,
        security=BEARER,
        summary="Suspend a license",
        description=(
            "By the product's owner or an admin; reversible: it answers SUSPENDED and takes no new "
            "machines until reinstated. An optional reason goes in the `reason` query parameter or a JSON "
            'body `{"reason": ...}`. A revoked license stays revoked (403).'
        ),
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def suspend(
        self,
        license_key: KeyInPath,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        handler: FromDishka[SuspendLicenseHandler],
        reason: Annotated[str | None, QueryParameter(pattern=LINE_PATTERN, max_length=500, required=False)] = None,
    ) -> LicenseResponse:
        reason = await reason_in_body(request) or reason
        return LicenseResponse.of(await handler(actor, path_key(license_key), reason or "suspended"))

    @post(
        f"{KEY_PATH}/reinstate",
        status_code=HTTP_200_OK,
        guards=[require(LicensingPermission.LICENSES_MANAGE, override=LicensingPermission.ADMIN)],
        dependencies=GRANTED,
        security=BEARER,
        summary="Reinstate a license",
        description="By the product's owner or an admin: a suspended license is active again. A revoked one is 403.",
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def reinstate(
        self,
        license_key: KeyInPath,
        actor: NamedDependency[Actor],
        handler: FromDishka[ReinstateLicenseHandler],
    ) -> LicenseResponse:
        return LicenseResponse.of(await handler(actor, path_key(license_key)))
