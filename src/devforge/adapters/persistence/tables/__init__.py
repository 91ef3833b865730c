"""Table definitions, one module per context (plus the shared outbox and ledger). Importing
this package registers every table on ``metadata``, which Alembic compares migrations against:
every module of the package is imported, so a new context's table module needs no line here
(the names below are re-exported for the repositories that import them from the package)."""

import importlib
import pkgutil

from devforge.adapters.persistence.tables import (
    billing_documents,
    identity,
    marketplace,
    marketplace_channels,
    marketplace_reviews,
    payments_sandbox,
    platform,
)
from devforge.adapters.persistence.tables.api_keys import api_keys
from devforge.adapters.persistence.tables.authentication import auth_audit, two_factor, two_factor_recovery_codes
from devforge.adapters.persistence.tables.billing import (
    billing_inbox,
    billing_orders,
    billing_prices,
    billing_products,
    billing_subscriptions,
)
from devforge.adapters.persistence.tables.identity import refresh_token_digests, sessions, users
from devforge.adapters.persistence.tables.licensing import (
    license_entitlements,
    license_machines,
    license_policies,
    license_products,
    license_usage,
    licenses,
)
from devforge.adapters.persistence.tables.metadata import metadata
from devforge.adapters.persistence.tables.one_time_tokens import one_time_tokens
from devforge.adapters.persistence.tables.platform import deliveries, mail_outbox, outbox

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = [
    "api_keys",
    "auth_audit",
    "billing_documents",
    "billing_inbox",
    "billing_orders",
    "billing_prices",
    "billing_products",
    "billing_subscriptions",
    "deliveries",
    "identity",
    "license_entitlements",
    "license_machines",
    "license_policies",
    "license_products",
    "license_usage",
    "licenses",
    "mail_outbox",
    "marketplace",
    "marketplace_channels",
    "marketplace_reviews",
    "metadata",
    "one_time_tokens",
    "outbox",
    "payments_sandbox",
    "platform",
    "refresh_token_digests",
    "sessions",
    "two_factor",
    "two_factor_recovery_codes",
    "users",
]
