"""Entitlements: named features (``pro-themes``, ``ai-assist``) a policy or a license grants.

A code is lower case, starts with a letter or digit and uses letters, digits, ``.``, ``_`` and
``-`` (at most 64), so it reads the same in a URL, a signed file and a validation request.
Validation compares codes, never display names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.domain.licensing.errors import EntitlementCodeInvalid, EntitlementUndefined

CODE = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


def entitlement_code(raw: str, *, field: str = "entitlements") -> str:
    """The canonical code: trimmed and lower-cased; anything else malformed is refused."""
    code = raw.strip().lower()
    if not CODE.fullmatch(code):
        raise EntitlementCodeInvalid(f"{raw!r} is not an entitlement code.", field=field)
    return code


def entitlement_codes(raw: Iterable[str]) -> frozenset[str]:
    return frozenset(entitlement_code(code) for code in raw)


@dataclass(frozen=True, kw_only=True)
class Entitlement:
    """A product's feature, defined once and attached to policies and licenses by its code."""

    id: UUID
    product_id: UUID
    code: str
    name: str
    created_at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", entitlement_code(self.code, field="code"))
        if not 1 <= len(self.name.strip()) <= 100:
            raise EntitlementCodeInvalid("Name the entitlement in 1 to 100 characters.", field="name")


def ensure_defined(codes: Iterable[str], catalog: Iterable[Entitlement]) -> None:
    """A policy or a license grants only features its product defines, so a typo in a code
    cannot issue a feature no client checks for."""
    undefined = sorted(entitlement_codes(codes) - {entitlement.code for entitlement in catalog})
    if undefined:
        listed = ", ".join(undefined)
        raise EntitlementUndefined(f"Define {listed} for the product before granting it.", field="entitlements")
