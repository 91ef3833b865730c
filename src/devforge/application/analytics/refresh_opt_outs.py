"""Every API process reloads the installs that opted out (an API job), so an opt-out taken by
another process is honoured here within ``OPT_OUT_REFRESH_SECONDS``."""

from __future__ import annotations

from devforge.application.analytics.install_memo import InstallMemo
from devforge.application.analytics.ports import AnalyticsStore


class RefreshOptOuts:
    def __init__(self, installs: InstallMemo, store: AnalyticsStore) -> None:
        self._installs, self._store = installs, store

    async def __call__(self) -> None:
        await self._installs.refresh(self._store)
