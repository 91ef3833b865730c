"""A PostgreSQL error logged by the service names the statement, the SQLSTATE and the
constraint, never the values: not SQLAlchemy's parameters, not PostgreSQL's DETAIL, not asyncpg's
echo of a bad argument."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from sqlalchemy import text

from devforge.adapters.persistence.engine import make_engine, make_sessionmaker
from devforge.adapters.persistence.identity import SqlaUserRepository
from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.roles import Role
from devforge.domain.identity.user import User
from devforge.entrypoints.http.problems import unexpected_error_handler
from devforge.entrypoints.logging import configure_logging
from tests.integration.backends import postgres_database

EMAIL = "ada.secret@example.com"
DIGEST = "c0ffee" * 10


def account() -> User:
    return User(
        id=uuid4(), email=EmailAddress(EMAIL), password_hash=DIGEST, role=Role.CUSTOMER, created_at=datetime.now(UTC)
    )


async def test_a_logged_postgresql_error_carries_no_sql_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("info", "json")
    async with postgres_database() as url:
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        try:
            async with sessions() as session:
                await SqlaUserRepository(session).add(account())
                await session.commit()
            failing = [
                lambda session: SqlaUserRepository(session).add(account()),  # the same email: unique violation
                lambda session: session.execute(text("SELECT 1 FROM users WHERE created_at = :at"), {"at": DIGEST}),
                lambda session: session.execute(text("SELECT CAST(:id AS uuid)"), {"id": EMAIL}),
            ]
            logged_errors: list[str] = []
            for statement in failing:
                capsys.readouterr()
                async with sessions() as session:
                    try:
                        await statement(session)
                        await session.commit()
                    except Exception as error:
                        unexpected_error_handler(None, error)  # type: ignore[arg-type]  # the HTTP shell's log line
                logged = capsys.readouterr().err
                [line] = [json.loads(row) for row in logged.splitlines() if "unhandled_error" in row]
                assert "exception" in line, line
                assert EMAIL not in logged and DIGEST not in logged, logged
                assert "sqlstate=" in line["exception"] and "statement=" in line["exception"], line
                logged_errors.append(line["exception"])
        finally:
            await engine.dispose()
    assert "sqlstate=23505" in logged_errors[0] and "constraint_name=" in logged_errors[0]  # still useful
