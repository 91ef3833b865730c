"""Table definitions, one module per context (plus the shared outbox and ledger). Importing
this package registers every table on ``metadata``, which Alembic compares migrations against."""

from devforge.adapters.persistence.tables import identity, platform
from devforge.adapters.persistence.tables.api_keys import api_keys
from devforge.adapters.persistence.tables.authentication import auth_audit, two_factor, two_factor_recovery_codes
from devforge.adapters.persistence.tables.identity import refresh_token_digests, sessions, users
from devforge.adapters.persistence.tables.licensing import (
    license_machines,
    license_policies,
    license_products,
    licenses,
)
from devforge.adapters.persistence.tables.metadata import metadata
from devforge.adapters.persistence.tables.one_time_tokens import one_time_tokens
from devforge.adapters.persistence.tables.platform import deliveries, outbox

__all__ = [
    "api_keys",
    "auth_audit",
    "deliveries",
    "identity",
    "license_machines",
    "license_policies",
    "license_products",
    "licenses",
    "metadata",
    "one_time_tokens",
    "outbox",
    "platform",
    "refresh_token_digests",
    "sessions",
    "two_factor",
    "two_factor_recovery_codes",
    "users",
]
