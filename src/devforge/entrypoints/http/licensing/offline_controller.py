"""``/api/licenses`` for offline clients: the public keys, license-file checkout and the signed
revocation list. What these answer verifies with ``devforge.client.license_verifier`` alone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from dishka.integrations.litestar import FromDishka
from litestar import Controller, MediaType, Request, get, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK

from devforge.application.licensing.check_out_license_file import CheckOutLicenseFile, CheckOutLicenseFileHandler
from devforge.application.licensing.offline_files import OfflineLicenses
from devforge.application.licensing.publish_revocation_list import PublishRevocationList
from devforge.domain.licensing.license_file import DEFAULT_TTL
from devforge.entrypoints.http.licensing.controller import required_license_key
from devforge.entrypoints.http.licensing.offline_schemas import CheckoutRequest, PublicKeysResponse
from devforge.entrypoints.http.openapi_docs import problems


class OfflineLicensesController(Controller):
    path = "/api/licenses"
    tags = ["licenses"]

    @get(
        "/public-keys",
        summary="The licensing public keys",
        description=(
            "Every published Ed25519 key: the active one first, then retired ones whose documents still "
            "verify. Clients pin this document to check license files, signed keys, the revocation list "
            "and signed validation answers offline."
        ),
        responses=problems(400, 429),
        opt={"rate_limit": "license"},
    )
    async def public_keys(self, offline: FromDishka[OfflineLicenses]) -> PublicKeysResponse:
        return PublicKeysResponse.of(offline.public_keys())

    @post(
        "/checkout",
        status_code=HTTP_200_OK,
        media_type=MediaType.TEXT,
        summary="Check out a license file",
        description=(
            "With 'Authorization: License <key>': a signed license file for an active machine of the "
            "license (activate it first), valid for `ttlSeconds` (1 hour to 366 days, default 30 days). "
            "With `encrypt`, the contents are sealed for this key and fingerprint. Revoked or suspended "
            "licenses get 403 (LICENSE_REVOKED, LICENSE_SUSPENDED); an unknown machine 404."
        ),
        responses=problems(400, 401, 403, 404, 422, 429),
        opt={"rate_limit": "license", "answers_current_state": True},
    )
    async def checkout(
        self,
        data: JSONBody[CheckoutRequest],
        request: Request[Any, Any, Any],
        handler: FromDishka[CheckOutLicenseFileHandler],
    ) -> str:
        ttl = timedelta(seconds=data.ttl_seconds) if data.ttl_seconds is not None else DEFAULT_TTL
        command = CheckOutLicenseFile(
            key=required_license_key(request), fingerprint=data.fingerprint, ttl=ttl, encrypt=data.encrypt
        )
        return await handler(command)

    @get(
        "/revocations",
        media_type=MediaType.TEXT,
        summary="The signed revocation list",
        description=(
            "The ids of every revoked license, signed now under the active key. Offline clients refuse "
            "a license file whose license it names; keep the newest `issued_at` seen to refuse a replay."
        ),
        responses=problems(400, 429),
    )
    async def revocations(self, handler: FromDishka[PublishRevocationList]) -> str:
        return await handler()
