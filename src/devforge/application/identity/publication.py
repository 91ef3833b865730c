"""Identity's domain events as it publishes them (``published.py``), written by ``record_events``."""

from __future__ import annotations

from devforge.application.common.publication import Mirror, Publication
from devforge.application.identity import published
from devforge.domain.identity import events

PUBLICATION = Publication(
    {
        events.UserRegistered: Mirror(published.UserRegisteredV1),
        events.SessionStarted: Mirror(published.SessionStartedV1),
        events.SessionRevoked: Mirror(published.SessionRevokedV1),
        events.EmailVerified: Mirror(published.EmailVerifiedV1),
        events.PasswordChanged: Mirror(published.PasswordChangedV1),
        events.RoleChanged: Mirror(published.RoleChangedV1),
        events.UserDisabled: Mirror(published.UserDisabledV1),
        events.UserEnabled: Mirror(published.UserEnabledV1),
        events.ApiKeyCreated: Mirror(published.ApiKeyCreatedV1),
        events.ApiKeyRevoked: Mirror(published.ApiKeyRevokedV1),
        events.EmailVerificationRequested: Mirror(published.EmailVerificationRequestedV1),
        events.PasswordResetRequested: Mirror(published.PasswordResetRequestedV1),
        events.TwoFactorEnabled: Mirror(published.TwoFactorEnabledV1),
        events.TwoFactorDisabled: Mirror(published.TwoFactorDisabledV1),
    }
)

# What the use cases call: their aggregates' pending events into the outbox, in their transaction.
record_events = PUBLICATION.record
