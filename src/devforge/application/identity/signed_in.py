"""The signed-in caller's session and account, served from a short-lived near cache."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from devforge.application.common.cache import ReadMostlyCache
from devforge.application.common.read_through import ReadThrough
from devforge.application.identity.ports import SignedInReader
from devforge.application.identity.signed_in_state import (
    AccountState,
    SessionState,
    account_from_bytes,
    account_to_bytes,
    session_from_bytes,
    session_to_bytes,
)

TTL_SECONDS = 300
"""A safety net only: every change drops the entry explicitly (``forget_*``)."""


class SignedIn:
    """Every authenticated request asks for its session and account; this answers from the
    ``ReadMostlyCache`` (production: Redis with a copy in each process, so a warm request does no
    I/O at all) and reads the database on a miss, on the common read path (one statement for
    both, no transaction).

    Rules:
    - The use cases that end a session (sign-out, revoking one, revoking the others, a password
      reset, a reused refresh token, disabling the account) call ``forget_sessions`` right after
      their commit; those that change an account (role, status, two-factor, verified email) call
      ``forget_account``. Forgetting writes a tombstone, which in production drops the copy in
      every API process through Redis pub/sub before the use case answers: the very next
      request, in any process, reads the database.
    - A read racing a change cannot leave the old value behind (``ReadThrough``).
    One instance per process (app scope)."""

    def __init__(self, cache: ReadMostlyCache, reader: SignedInReader) -> None:
        self._reader = reader
        self._sessions = ReadThrough(cache, "identity:session:", session_to_bytes, session_from_bytes, TTL_SECONDS)
        self._accounts = ReadThrough(cache, "identity:account:", account_to_bytes, account_from_bytes, TTL_SECONDS)

    async def session(self, session_id: UUID) -> tuple[SessionState, AccountState] | None:
        """The session and its account, or None when either is unknown."""
        session = await self._sessions.get(str(session_id))
        if session is not None:
            account = await self.account(session.user_id)
            return None if account is None else (session, account)
        started = self._sessions.started()
        found = await self._reader.session(session_id)
        if found is None:
            return None
        await self._sessions.fill(str(session_id), found[0], started)
        await self._accounts.fill(str(found[1].id), found[1], started)
        return found

    async def account(self, user_id: UUID) -> AccountState | None:
        account = await self._accounts.get(str(user_id))
        if account is not None:
            return account
        started = self._accounts.started()
        account = await self._reader.account(user_id)
        if account is not None:
            await self._accounts.fill(str(user_id), account, started)
        return account

    async def forget_sessions(self, session_ids: Iterable[UUID]) -> None:
        for session_id in session_ids:
            await self._sessions.forget(str(session_id))

    async def forget_account(self, user_id: UUID) -> None:
        await self._accounts.forget(str(user_id))
