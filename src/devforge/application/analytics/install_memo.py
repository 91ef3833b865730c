"""What a process remembers about installs, so a stream of batches costs no store lookups:
every install that opted out (loaded from the store once, then refreshed by an API job every
``OPT_OUT_REFRESH_SECONDS``; an opt-out this process takes counts at once), and whom each
install is linked to (so a link is written once per process, not once per batch)."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from devforge.application.analytics.ports import AnalyticsStore

OPT_OUT_REFRESH_SECONDS = 30.0
"""An install that opts out through another process is dropped here too within this."""
_MAX_LINKS = 200_000


class InstallMemo:
    def __init__(self) -> None:
        self._opted_out: set[str] | None = None
        self._links: dict[str, UUID] = {}

    async def refresh(self, store: AnalyticsStore) -> None:
        self._opted_out = (await store.all_opted_out()) | (self._opted_out or set())

    def opted_out(self, distinct_ids: Iterable[str]) -> None:
        if self._opted_out is None:
            self._opted_out = set()
        self._opted_out.update(distinct_ids)

    async def which_opted_out(self, distinct_ids: set[str], store: AnalyticsStore) -> set[str]:
        if self._opted_out is None:
            await self.refresh(store)
        return distinct_ids & (self._opted_out or set())

    def first_link(self, distinct_id: str, user_id: UUID) -> bool:
        """Whether this link is news to the process (then it is written once)."""
        if self._links.get(distinct_id) == user_id:
            return False
        if len(self._links) > _MAX_LINKS:
            self._links.clear()
        self._links[distinct_id] = user_id
        return True
