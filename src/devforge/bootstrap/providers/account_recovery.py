"""Identity's email verification, password reset and account mails: use cases, the mail
consumers, and where one-time tokens are stored (SQL or memory)."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all

from devforge.adapters.memory.one_time_tokens import InMemoryOneTimeTokenRepository
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.adapters.persistence.one_time_tokens import SqlaOneTimeTokenRepository
from devforge.application.identity.account_links import AccountLinks
from devforge.application.identity.issue_one_time_token import IssueOneTimeToken
from devforge.application.identity.ports import OneTimeTokenRepository
from devforge.application.identity.request_password_reset import RequestPasswordResetHandler
from devforge.application.identity.resend_verification import ResendVerificationHandler
from devforge.application.identity.reset_password import ResetPasswordHandler
from devforge.application.identity.verify_email import VerifyEmailHandler


class AccountRecoveryProvider(Provider):
    scope = Scope.REQUEST
    links = provide(AccountLinks, scope=Scope.APP)
    use_cases = provide_all(
        VerifyEmailHandler,
        ResendVerificationHandler,
        RequestPasswordResetHandler,
        ResetPasswordHandler,
        IssueOneTimeToken,
    )


class SqlaOneTimeTokenProvider(Provider):
    scope = Scope.REQUEST
    tokens = provide(SqlaOneTimeTokenRepository, provides=OneTimeTokenRepository)


class MemoryOneTimeTokenProvider(Provider):
    scope = Scope.REQUEST

    @provide
    def tokens(self, transaction: InMemoryUnitOfWork) -> OneTimeTokenRepository:
        return InMemoryOneTimeTokenRepository(transaction.store)
