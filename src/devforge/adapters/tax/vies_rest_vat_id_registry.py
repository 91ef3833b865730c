"""VIES, the EU Commission's VAT id register, over its REST API.

``POST <base>/check-vat-number`` with ``{"countryCode", "vatNumber"}`` (and, when the seller's own
VAT id is configured, ``requesterMemberStateCode`` and ``requesterNumber``, which earn a
consultation number: VIES's ``requestIdentifier``, the evidence of the check). Only an answer
carrying a boolean ``valid`` and no error is definitive; VIES's ``INVALID_INPUT`` means the number
is not one. Every other outcome (a timeout, a refused connection, a 5xx, ``MS_UNAVAILABLE``,
``MS_MAX_CONCURRENT_REQ``, ``SERVICE_UNAVAILABLE``, ``TIMEOUT``, an answer that does not parse) is
UNVERIFIED, never invalid: an outage must not refuse a buyer.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import msgspec
import structlog

from devforge.domain.billing.vat_id import VatIdCheck, VatIdStatus, vat_id_parts

log = structlog.get_logger(__name__)


class ViesRestVatIdRegistry:
    def __init__(
        self,
        base_url: str = "https://ec.europa.eu/taxation_customs/vies/rest-api",
        *,
        requester_vat_id: str | None = None,
        timeout_seconds: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._url = base_url.rstrip("/") + "/check-vat-number"
        self._requester = vat_id_parts(requester_vat_id) if requester_vat_id else None
        self._client = httpx.AsyncClient(transport=transport, timeout=timeout_seconds)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def check(self, vat_id: str) -> VatIdCheck:
        country, number = vat_id_parts(vat_id)
        body = {"countryCode": country, "vatNumber": number}
        if self._requester:
            body |= {"requesterMemberStateCode": self._requester[0], "requesterNumber": self._requester[1]}
        try:
            response = await self._client.post(self._url, json=body)
            answer = msgspec.json.decode(response.content) if response.content else {}
        except (httpx.HTTPError, msgspec.DecodeError) as error:
            log.warning("vies_unavailable", reason=type(error).__name__)
            return VatIdCheck(vat_id, VatIdStatus.UNVERIFIED)
        status = _status(response.status_code, answer)
        if status is VatIdStatus.UNVERIFIED:
            log.warning("vies_unavailable", http_status=response.status_code, error=_error_code(answer))
            return VatIdCheck(vat_id, status)
        consultation = _consultation(answer) if status is VatIdStatus.VALID else None
        return VatIdCheck(vat_id, status, _checked_at(answer), consultation)


def _error_code(answer: Any) -> str | None:
    if not isinstance(answer, dict):
        return None
    wrappers = answer.get("errorWrappers")
    if isinstance(wrappers, list) and wrappers and isinstance(wrappers[0], dict):
        return str(wrappers[0].get("error"))
    user_error = answer.get("userError")
    return str(user_error) if user_error else None


def _status(http_status: int, answer: Any) -> VatIdStatus:
    error = _error_code(answer)
    if error == "INVALID_INPUT":  # VIES's word that this is no VAT number at all
        return VatIdStatus.INVALID
    if error not in (None, "VALID", "INVALID"):
        return VatIdStatus.UNVERIFIED
    if http_status != 200 or not isinstance(answer, dict) or answer.get("actionSucceed") is False:
        return VatIdStatus.UNVERIFIED
    valid = answer.get("valid", answer.get("isValid"))
    if not isinstance(valid, bool):
        return VatIdStatus.UNVERIFIED
    return VatIdStatus.VALID if valid else VatIdStatus.INVALID


def _checked_at(answer: dict[str, Any]) -> datetime:
    """VIES's ``requestDate`` (an ISO date-time), else now."""
    try:
        moment = datetime.fromisoformat(str(answer.get("requestDate", "")).replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _consultation(answer: dict[str, Any]) -> str | None:
    identifier = answer.get("requestIdentifier")
    return str(identifier)[:64] if identifier else None
