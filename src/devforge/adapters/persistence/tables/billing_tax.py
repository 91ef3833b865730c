"""Billing's tax profiles: one row per publisher, the latest certification. The TIN is only
ever stored sealed (``tin_sealed``, AES-GCM under the server key, bound to the publisher) with
its kind and last four digits for the masked form; no column holds it in plain text."""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table, Text, Uuid

from devforge.adapters.persistence.tables.metadata import metadata
from devforge.adapters.persistence.types import UTCDateTime

billing_tax_profiles = Table(
    "billing_tax_profiles",
    metadata,
    Column("publisher_id", Uuid, primary_key=True),
    Column("form", String(10), nullable=False),
    Column("name", String(200), nullable=False),
    Column("entity_type", String(20), nullable=False),
    Column("country", String(2), nullable=False),
    Column("address", String(300), nullable=False),
    Column("tin_kind", String(3), nullable=True),
    Column("tin_last4", String(4), nullable=True),
    Column("tin_sealed", Text, nullable=True),
    Column("treaty_article", String(40), nullable=True),
    Column("treaty_rate_bp", Integer, nullable=True),
    Column("signer_name", String(200), nullable=False),
    Column("certified_at", UTCDateTime, nullable=False),
)
