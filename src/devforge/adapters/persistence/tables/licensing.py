"""Licensing's tables. A license keeps its key's digest and visible prefix, never the key, and a
snapshot of its policy (JSON), so editing a policy never changes what a customer bought. No
foreign key to ``users``: contexts refer to each other by ids only."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Index, Integer, String, Table, UniqueConstraint, Uuid

from devforge.adapters.persistence.tables.metadata import metadata
from devforge.adapters.persistence.types import UTCDateTime

license_products = Table(
    "license_products",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("owner_id", Uuid, nullable=False, index=True),
    Column("code", String(63), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

license_entitlements = Table(
    "license_entitlements",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("product_id", Uuid, ForeignKey("license_products.id", ondelete="CASCADE"), nullable=False),
    Column("code", String(64), nullable=False),
    Column("name", String(100), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("product_id", "code"),
)

license_policies = Table(
    "license_policies",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("product_id", Uuid, ForeignKey("license_products.id"), nullable=False, index=True),
    Column("name", String(100), nullable=False),
    Column("settings", JSON, nullable=False),
)

licenses = Table(
    "licenses",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, nullable=False, index=True),
    Column("product_id", Uuid, ForeignKey("license_products.id"), nullable=False),
    Column("policy_id", Uuid, ForeignKey("license_policies.id"), nullable=False),
    Column("order_id", Uuid, nullable=True),
    Column("key_digest", String(64), nullable=False, unique=True),
    Column("key_prefix", String(16), nullable=False),
    Column("status", String(12), nullable=False),
    Column("policy", JSON, nullable=False),
    Column("max_machines", Integer, nullable=True),
    Column("max_uses", Integer, nullable=True),
    Column("deactivation_allowance", Integer, nullable=True),
    Column("extra_entitlements", JSON, nullable=False),
    Column("heartbeat_required", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=True),
    Column("uses", Integer, nullable=False),
    Column("last_check_in_at", UTCDateTime, nullable=True),
    Column("self_service_deactivations", JSON, nullable=False),
    Column("suspend_reason", String(500), nullable=True),
    Column("revoked_at", UTCDateTime, nullable=True),
    Column("revoke_reason", String(500), nullable=True),
    Column("expiring_notice_for", UTCDateTime, nullable=True),
    Column("expired_notice_for", UTCDateTime, nullable=True),
    Column("version", Integer, nullable=False),
    # the signed revocation list reads the few revoked and suspended licenses through it
    Index("ix_licenses_status_id", "status", "id"),
)

license_machines = Table(
    "license_machines",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("license_id", Uuid, ForeignKey("licenses.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("fingerprint", String(255), nullable=False),
    Column("name", String(200), nullable=False),
    Column("status", String(12), nullable=False),
    Column("activated_at", UTCDateTime, nullable=False),
    Column("last_heartbeat_at", UTCDateTime, nullable=True),
    Column("ended_at", UTCDateTime, nullable=True),
)

license_usage = Table(
    "license_usage",
    metadata,
    Column("license_id", Uuid, ForeignKey("licenses.id", ondelete="CASCADE"), primary_key=True),
    Column("validations", Integer, nullable=False),
    Column("failed_validations", Integer, nullable=False),
    Column("last_validated_at", UTCDateTime, nullable=True),
)
