"""Bodies of the license, product and policy routes. A full license key appears in one answer
only (``GeneratedLicenseResponse``); every other answer shows its visible prefix."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

from msgspec import Meta

from devforge.application.licensing.views import GeneratedLicense, LicenseView, MachineView
from devforge.domain.licensing.policy import ClockStart, ExpirationStrategy, Overage, Policy, RenewalBasis
from devforge.domain.licensing.product import Product
from devforge.entrypoints.http.schemas import MAX_INT, MULTILINE, NO_CONTROL_CHARACTERS, CamelStruct
from devforge.entrypoints.http.stated_rules import ENTITLEMENT_CODE, LICENSE_KEY, NOT_BLANK, PRODUCT_CODE, stated

KEY_EXAMPLE = "DF-7K2QX-M4Z9T-B8NRC-W3HJV-P6YDF-Q1SAG"
LicenseKeyText = Annotated[
    str,
    NO_CONTROL_CHARACTERS,
    Meta(min_length=1, max_length=100, examples=[KEY_EXAMPLE], description="A license key, any spelling"),
    stated(pattern=LICENSE_KEY),
]
Fingerprint = Annotated[
    str,
    NO_CONTROL_CHARACTERS,
    Meta(min_length=1, max_length=255, examples=["4f9c2a1e-machine"], description="The machine's fingerprint"),
]
Entitlement = Annotated[
    str,
    NO_CONTROL_CHARACTERS,
    Meta(min_length=1, max_length=64, examples=["PRO_FEATURES"], description="Any case; stored lower-case"),
    stated(pattern=ENTITLEMENT_CODE),
]
Name = Annotated[
    str, NO_CONTROL_CHARACTERS, Meta(min_length=1, max_length=200), stated(pattern=NOT_BLANK, maxLength=100)
]
"""A product's, policy's or entitlement's name: trimmed, then 1 to 100 characters."""


class CreateProductRequest(CamelStruct):
    code: Annotated[
        str,
        NO_CONTROL_CHARACTERS,
        Meta(min_length=1, max_length=64, examples=["dev-forge-pro"]),
        stated(pattern=PRODUCT_CODE),
    ]
    name: Annotated[Name, Meta(examples=["Dev Forge Pro"])]


class ProductResponse(CamelStruct):
    id: UUID
    owner_id: UUID
    code: str
    name: str
    created_at: datetime

    @classmethod
    def of(cls, product: Product) -> ProductResponse:
        return cls(product.id, product.owner_id, product.code, product.name, product.created_at)


class CreatePolicyRequest(CamelStruct):
    product_id: UUID
    name: Annotated[Name, Meta(examples=["Pro, 3 seats, yearly"])]
    max_machines: Annotated[int, Meta(ge=1, le=MAX_INT, examples=[3], description="null: unlimited")] | None = 1
    floating: Annotated[bool, Meta(description="More than one machine may be active")] = False
    duration_days: Annotated[int, Meta(ge=1, le=36500, examples=[365], description="null: perpetual")] | None = None
    entitlements: Annotated[list[Entitlement], Meta(max_length=64)] = []

    def settings(self) -> dict[str, Any]:
        return {
            "max_machines": self.max_machines,
            "floating": self.floating,
            "duration": timedelta(days=self.duration_days) if self.duration_days else None,
            "entitlements": frozenset(self.entitlements),
        }


class PolicyResponse(CamelStruct):
    id: UUID
    product_id: UUID
    name: str
    max_machines: int | None
    floating: bool
    duration_days: int | None
    entitlements: list[str]
    max_uses: int | None = None
    strict: bool = False
    require_product_scope: bool = False
    require_fingerprint_scope: bool = False
    require_entitlements_scope: bool = False
    heartbeat_required: bool = False
    heartbeat_interval_seconds: int = 600
    expiration_strategy: ExpirationStrategy = ExpirationStrategy.RESTRICT_ACCESS
    clock_start: ClockStart = ClockStart.CREATION
    renewal_basis: RenewalBasis = RenewalBasis.FROM_EXPIRY
    overage: Overage = Overage.NONE
    check_in_interval_seconds: int | None = None
    deactivation_allowance: int | None = 3

    @classmethod
    def of(cls, policy: Policy) -> PolicyResponse:
        days = policy.duration.days if policy.duration is not None else None
        check_in = policy.check_in_interval
        return cls(
            policy.id,
            policy.product_id,
            policy.name,
            policy.max_machines,
            policy.floating,
            days,
            sorted(policy.entitlements),
            max_uses=policy.max_uses,
            strict=policy.strict,
            require_product_scope=policy.require_product_scope,
            require_fingerprint_scope=policy.require_fingerprint_scope,
            require_entitlements_scope=policy.require_entitlements_scope,
            heartbeat_required=policy.heartbeat_required,
            heartbeat_interval_seconds=int(policy.heartbeat_interval.total_seconds()),
            expiration_strategy=policy.expiration_strategy,
            clock_start=policy.clock_start,
            renewal_basis=policy.renewal_basis,
            overage=policy.overage,
            check_in_interval_seconds=int(check_in.total_seconds()) if check_in is not None else None,
            deactivation_allowance=policy.deactivation_allowance,
        )


class GenerateLicenseRequest(CamelStruct):
    product_id: Annotated[UUID, Meta(description="The policy must belong to this product")]
    policy_id: UUID
    user_id: Annotated[UUID, Meta(description="The customer the license is issued to")]
    order_id: UUID | None = None


class MachineResponse(CamelStruct):
    id: UUID
    fingerprint: str
    name: str
    status: str
    activated_at: datetime
    last_heartbeat_at: datetime | None

    @classmethod
    def of(cls, view: MachineView) -> MachineResponse:
        return cls(view.id, view.fingerprint, view.name, view.status, view.activated_at, view.last_heartbeat_at)


class UsageResponse(CamelStruct):
    validations: Annotated[int, Meta(examples=[1284])]
    failed_validations: Annotated[int, Meta(examples=[3])]
    last_validated_at: datetime | None


class LicenseResponse(CamelStruct):
    id: UUID
    user_id: UUID
    product_id: UUID
    policy_id: UUID
    key_prefix: Annotated[str, Meta(description="The key's visible start, to tell licenses apart")]
    status: str
    created_at: datetime
    expires_at: datetime | None
    max_machines: int | None
    entitlements: list[str]
    machines: list[MachineResponse]
    usage: (
        Annotated[
            UsageResponse,
            Meta(description="Validations counted so far (written every few seconds); only on a single license"),
        ]
        | None
    ) = None

    @classmethod
    def of(cls, view: LicenseView) -> LicenseResponse:
        return cls(
            id=view.id,
            user_id=view.user_id,
            product_id=view.product_id,
            policy_id=view.policy_id,
            key_prefix=view.key_prefix,
            status=view.status,
            created_at=view.created_at,
            expires_at=view.expires_at,
            max_machines=view.max_machines,
            entitlements=list(view.entitlements),
            machines=[MachineResponse.of(m) for m in view.machines],
            usage=UsageResponse(view.usage.validations, view.usage.failed_validations, view.usage.last_validated_at)
            if view.usage
            else None,
        )


class GeneratedLicenseResponse(CamelStruct):
    key: Annotated[str, Meta(description="Shown this once: only its digest is kept", examples=[KEY_EXAMPLE])]
    license: LicenseResponse

    @classmethod
    def of(cls, generated: GeneratedLicense) -> GeneratedLicenseResponse:
        return cls(generated.key, LicenseResponse.of(generated.license))


class ValidateLicenseRequest(CamelStruct):
    key: LicenseKeyText | None = None
    fingerprint: Fingerprint | None = None
    product: Annotated[UUID, Meta(description="The product the client expects")] | None = None
    entitlements: Annotated[list[Entitlement], Meta(max_length=64)] = []
    nonce: Annotated[str, NO_CONTROL_CHARACTERS, Meta(max_length=128, examples=["b1946ac9"])] | None = None


class ValidationScope(CamelStruct):
    product: UUID | None
    fingerprint: str | None
    entitlements: list[str]


class ValidationResponse(CamelStruct):
    valid: bool
    code: Annotated[str, Meta(examples=["VALID"], description="VALID, NOT_FOUND, REVOKED, EXPIRED, ...")]
    detail: str
    ts: datetime
    nonce: str | None
    scope: ValidationScope


class ActivateRequest(CamelStruct):
    fingerprint: Fingerprint
    name: Annotated[str, NO_CONTROL_CHARACTERS, Meta(max_length=200, examples=["Ada's laptop"])] = ""
    platform: Annotated[str, NO_CONTROL_CHARACTERS, Meta(max_length=64, examples=["linux-x64"])] | None = None


class MachineRequest(CamelStruct):
    fingerprint: Fingerprint


class RevokeRequest(CamelStruct):
    reason: Annotated[str, MULTILINE, Meta(min_length=1, max_length=500, examples=["chargeback"])]
