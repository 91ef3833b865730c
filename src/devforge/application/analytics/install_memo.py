"""What a process remembers about installs between batches, so a stream of batches from one
editor costs no store lookups: whether it opted out (asked of the store once a minute per
install; an opt-out seen here counts at once), and whom it is linked to."""

from __future__ import annotations

import time
from collections.abc import Callable
from uuid import UUID

from devforge.application.analytics.ports import AnalyticsStore

OPT_OUT_MEMO_SECONDS = 60.0
_MAX_ENTRIES = 200_000


class InstallMemo:
    """One per process. An install that opts out through another process is dropped here too
    within ``OPT_OUT_MEMO_SECONDS``."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._out_until: dict[str, tuple[bool, float]] = {}
        self._links: dict[str, UUID] = {}
        self._now = monotonic

    def opted_out(self, distinct_ids: list[str]) -> None:
        for each in distinct_ids:
            self._out_until[each] = (True, float("inf"))

    async def which_opted_out(self, distinct_ids: set[str], store: AnalyticsStore) -> set[str]:
        now = self._now()
        unknown = [each for each in distinct_ids if self._out_until.get(each, (False, 0.0))[1] <= now]
        if unknown:
            if len(self._out_until) > _MAX_ENTRIES:
                self._out_until = {k: v for k, v in self._out_until.items() if v[1] > now}
            out = await store.opted_out(unknown)
            for each in unknown:
                self._out_until[each] = (each in out, float("inf") if each in out else now + OPT_OUT_MEMO_SECONDS)
        return {each for each in distinct_ids if self._out_until[each][0]}

    def first_link(self, distinct_id: str, user_id: UUID) -> bool:
        """Whether this link is news to the process (then it is written once)."""
        if self._links.get(distinct_id) == user_id:
            return False
        if len(self._links) > _MAX_ENTRIES:
            self._links.clear()
        self._links[distinct_id] = user_id
        return True
