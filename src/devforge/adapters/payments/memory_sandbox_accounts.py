"""The sandbox's connected accounts in memory; their events go to the memory sandbox's queue
(so its dispatcher pushes them) when given one."""

from __future__ import annotations

from dataclasses import replace

from devforge.adapters.payments.memory_sandbox_store import InMemorySandboxStore
from devforge.adapters.payments.sandbox_accounts import SandboxAccountRecord
from devforge.adapters.payments.sandbox_store import SandboxEventRecord


class InMemorySandboxAccountStore:
    def __init__(self, events: InMemorySandboxStore | None = None) -> None:
        self.accounts: dict[str, SandboxAccountRecord] = {}
        self._events = events or InMemorySandboxStore()

    async def add_account(self, account: SandboxAccountRecord) -> SandboxAccountRecord:
        self._events._check()
        existing = next((a for a in self.accounts.values() if a.idempotency_key == account.idempotency_key), None)
        if existing is not None:
            return existing
        self.accounts[account.id] = account
        return account

    async def get_account(self, account_id: str) -> SandboxAccountRecord | None:
        self._events._check()
        return self.accounts.get(account_id)

    async def set_links(self, account_id: str, return_url: str, refresh_url: str) -> None:
        self._events._check()
        self.accounts[account_id] = replace(self.accounts[account_id], return_url=return_url, refresh_url=refresh_url)

    async def move_account(self, account_id: str, from_step: str, to_step: str, event: SandboxEventRecord) -> bool:
        self._events._check()
        account = self.accounts.get(account_id)
        if account is None or account.step != from_step:
            return False
        self.accounts[account_id] = replace(account, step=to_step, updated_at=event.created_at)
        self._events.events[event.id] = event
        return True
