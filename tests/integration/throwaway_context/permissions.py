"""The throwaway context's one permission (who holds it is in ``context.py``)."""

from __future__ import annotations

from devforge.domain.shared.permissions import Permission


class ThrowawayPermission:
    PINGS_SEND = Permission("pings:send", on_api_keys=True)
