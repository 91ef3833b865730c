from __future__ import annotations

from devforge.domain.shared.errors import NotAuthenticated, NotFound, RuleViolated, TooLarge


class IngestionCredentialRefused(NotAuthenticated):
    """No ingestion key or license key, or one that is unknown or revoked."""

    code = "ingestion_credential_refused"


class IngestionKeyNotFound(NotFound):
    code = "ingestion_key_not_found"


class BatchTooLarge(TooLarge):
    """Too many events or bytes in one batch (413 naming ``batch``)."""

    code = "batch_too_large"


class BatchEmpty(RuleViolated):
    code = "batch_empty"
