"""The payee's side of a payout run as plain dictionaries: ``PayeeAccounts`` (connected
accounts, by publisher) and ``PayeeTaxStatus`` (tax forms and withholding, by publisher)."""

from __future__ import annotations

from uuid import UUID

from devforge.application.billing.payout_ports import OnboardingState, PayeeAccount, PayeeTax


class FakePayeeAccounts:
    def __init__(self) -> None:
        self.accounts: dict[UUID, PayeeAccount] = {}

    def enable(self, publisher_id: UUID, account_id: str | None = None) -> str:
        account_id = account_id or f"acct_{publisher_id.hex[:16]}"
        self.accounts[publisher_id] = PayeeAccount(publisher_id, account_id, OnboardingState.ENABLED)
        return account_id

    def restrict(self, publisher_id: UUID) -> None:
        account = self.accounts[publisher_id]
        self.accounts[publisher_id] = PayeeAccount(
            publisher_id, account.provider_account_id, OnboardingState.RESTRICTED, ("external_account",)
        )

    async def account(self, publisher_id: UUID) -> PayeeAccount | None:
        return self.accounts.get(publisher_id)


class FakePayeeTaxStatus:
    def __init__(self) -> None:
        self.statuses: dict[UUID, PayeeTax] = {}

    def file(self, publisher_id: UUID, withholding_basis_points: int = 0) -> None:
        self.statuses[publisher_id] = PayeeTax(True, withholding_basis_points)

    async def status(self, publisher_id: UUID) -> PayeeTax:
        return self.statuses.get(publisher_id, PayeeTax(False, 0))
