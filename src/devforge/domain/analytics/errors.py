from __future__ import annotations

from devforge.domain.shared.errors import NotAuthenticated, NotFound, RuleViolated


class IngestionCredentialRefused(NotAuthenticated):
    """No ingestion key or license key, or one that is unknown or revoked."""


class IngestionKeyNotFound(NotFound):
    pass


class BatchRefused(RuleViolated):
    """The batch as a whole cannot be taken (too many events, too many bytes); ``field`` names it."""
