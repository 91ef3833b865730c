"""The identity context's HTTP controllers (``http_routes`` of ``bootstrap/contexts/identity.py``)."""

from __future__ import annotations

from devforge.entrypoints.http.identity.admin_controller import AdminUsersController
from devforge.entrypoints.http.identity.api_keys_controller import ApiKeysController
from devforge.entrypoints.http.identity.audit_controller import AuthAuditController
from devforge.entrypoints.http.identity.controller import AuthController
from devforge.entrypoints.http.identity.recovery_controller import AccountRecoveryController
from devforge.entrypoints.http.identity.sessions_controller import SessionsController
from devforge.entrypoints.http.identity.two_factor_controller import TwoFactorController

CONTROLLERS = (
    AuthController,
    ApiKeysController,
    AdminUsersController,
    AccountRecoveryController,
    TwoFactorController,
    SessionsController,
    AuthAuditController,
)
