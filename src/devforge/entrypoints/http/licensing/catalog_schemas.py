"""Bodies of the catalog routes besides creation: a page of products, a rename, a policy's
changes (``UNSET`` marks a field the PATCH leaves alone) and a product's entitlements."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

from msgspec import UNSET, Meta, UnsetType

from devforge.application.licensing.list_products import ProductPage
from devforge.domain.licensing.entitlement import Entitlement
from devforge.domain.licensing.policy import ClockStart, ExpirationStrategy, Overage, RenewalBasis
from devforge.entrypoints.http.licensing.schemas import Entitlement as EntitlementCode
from devforge.entrypoints.http.licensing.schemas import Name, ProductResponse
from devforge.entrypoints.http.schemas import MAX_INT, CamelStruct

Seconds = Annotated[int, Meta(ge=1, le=31_536_000, examples=[600])]


class ProductPageResponse(CamelStruct):
    items: list[ProductResponse]
    next_after: Annotated[UUID, Meta(description="Pass as `after` for the next page; null on the last")] | None

    @classmethod
    def of(cls, page: ProductPage) -> ProductPageResponse:
        return cls([ProductResponse.of(product) for product in page.items], page.next_after)


class RenameProductRequest(CamelStruct):
    name: Annotated[Name, Meta(examples=["Dev Forge Pro 2"])]


class UpdatePolicyRequest(CamelStruct):
    """Only the fields present change; ``null`` clears a limit (unlimited, perpetual)."""

    name: Annotated[Name, Meta(examples=["Pro, 5 seats"])] | UnsetType = UNSET
    max_machines: (
        Annotated[int, Meta(ge=1, le=MAX_INT, examples=[5], description="null: unlimited")] | UnsetType | None
    ) = UNSET
    max_uses: Annotated[int, Meta(ge=1, le=MAX_INT, description="null: no limit")] | UnsetType | None = UNSET
    floating: bool | UnsetType = UNSET
    strict: bool | UnsetType = UNSET
    duration_days: (
        Annotated[int, Meta(ge=1, le=36500, examples=[365], description="null: perpetual")] | UnsetType | None
    ) = UNSET
    require_product_scope: bool | UnsetType = UNSET
    require_fingerprint_scope: bool | UnsetType = UNSET
    require_entitlements_scope: bool | UnsetType = UNSET
    heartbeat_required: bool | UnsetType = UNSET
    heartbeat_interval_seconds: Seconds | UnsetType = UNSET
    expiration_strategy: ExpirationStrategy | UnsetType = UNSET
    clock_start: ClockStart | UnsetType = UNSET
    renewal_basis: RenewalBasis | UnsetType = UNSET
    overage: Overage | UnsetType = UNSET
    check_in_interval_seconds: Annotated[Seconds, Meta(description="null: no check-in")] | UnsetType | None = UNSET
    deactivation_allowance: (
        Annotated[int, Meta(ge=0, le=MAX_INT, description="Per 30 days; null: no limit")] | UnsetType | None
    ) = UNSET
    entitlements: Annotated[list[EntitlementCode], Meta(max_length=64)] | UnsetType = UNSET

    def changes(self) -> dict[str, Any]:
        """The ``Policy`` fields to change, in the domain's units."""
        given = {name: getattr(self, name) for name in self.__struct_fields__ if getattr(self, name) is not UNSET}
        converted: dict[str, Any] = {}
        for name, value in given.items():
            if name == "duration_days":
                converted["duration"] = None if value is None else timedelta(days=value)
            elif name in ("heartbeat_interval_seconds", "check_in_interval_seconds"):
                converted[name.removesuffix("_seconds")] = None if value is None else timedelta(seconds=value)
            elif name == "entitlements":
                converted[name] = frozenset(value)
            else:
                converted[name] = value
        return converted


class DefineEntitlementRequest(CamelStruct):
    code: Annotated[EntitlementCode, Meta(examples=["ai-assist"])]
    name: Annotated[Name, Meta(examples=["AI assist"])]


class EntitlementResponse(CamelStruct):
    id: UUID
    product_id: UUID
    code: Annotated[str, Meta(examples=["ai-assist"])]
    name: str
    created_at: datetime

    @classmethod
    def of(cls, entitlement: Entitlement) -> EntitlementResponse:
        return cls(entitlement.id, entitlement.product_id, entitlement.code, entitlement.name, entitlement.created_at)
