"""An administrator erases one person's events on request (``analytics:erase``, so a session with
two-factor on): the install or user named, and everything stitched to them (the user an install
is linked to, that user's other installs, the server's facts filed under the user's id).

Their installs are opted out first, through the opt-out the editors themselves use: this process
drops their events at once and every other within ``OPT_OUT_REFRESH_SECONDS``, so an install that
keeps sending does not bring the person back. Then the store deletes for good, and the request is
recorded (who, when, whom, how many events). Erasing again is harmless (nothing left to find)."""

from __future__ import annotations

from uuid import uuid4

from devforge.application.analytics.install_memo import InstallMemo
from devforge.application.analytics.ports import AnalyticsStore, ErasureRecords
from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.analytics.erasure import Erasure, ErasureSubject, stitched
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.shared.errors import NotPermitted


class ErasePerson:
    def __init__(
        self, store: AnalyticsStore, records: ErasureRecords, installs: InstallMemo, clock: Clock, uow: UnitOfWork
    ) -> None:
        self._store, self._records, self._installs = store, records, installs
        self._clock, self._uow = clock, uow

    async def __call__(self, actor: Actor, subject: ErasureSubject) -> Erasure:
        if not actor.may(AnalyticsPermission.ERASE):
            raise NotPermitted("Only administrators erase a person's events.")
        linked = await self._store.user_of(subject.distinct_id) if subject.distinct_id is not None else None
        users = [each for each in (subject.user_id, linked) if each is not None]
        distinct_ids, user_ids = stitched(subject, linked, await self._store.installs_of(users))
        installs = [each for each in distinct_ids if each not in {str(user) for user in user_ids}]
        now = self._clock.now()
        await self._store.record_opt_outs(installs, now)
        self._installs.opted_out(installs)
        events = await self._store.erase(distinct_ids, user_ids)
        erasure = Erasure(uuid4(), subject, tuple(distinct_ids), tuple(user_ids), events, actor.user_id, now)
        await self._records.add(erasure)
        await self._uow.commit()
        return erasure
