"""Table definitions, one module per context (plus the shared outbox and ledger). Importing
this package registers every table on ``metadata``, which Alembic compares migrations against."""

from devforge.adapters.persistence.tables import identity, platform
from devforge.adapters.persistence.tables.identity import refresh_token_digests, sessions, users
from devforge.adapters.persistence.tables.metadata import metadata
from devforge.adapters.persistence.tables.platform import deliveries, outbox

__all__ = ["deliveries", "identity", "metadata", "outbox", "platform", "refresh_token_digests", "sessions", "users"]
