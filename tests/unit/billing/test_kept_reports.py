"""Statements and year-end forms are typeset once per content and kept: the same statement asked
again is not typeset again, a statement that moved (a refund, a payout) is, callers asking at once
share one typesetting, and a failure is not kept."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from devforge.adapters.documents.kept_reports import KeptPdfs, KeptStatementRenderer, KeptTaxFormRenderer
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.money import Money
from devforge.domain.billing.statement import Statement, StatementMonth, build_statement
from devforge.domain.billing.tax_profile import Tin, TinKind, UsEntityType, w9
from devforge.domain.billing.tax_reports import USD, Form1099K, Form1099Nec

EUR = Currency("EUR")
PUBLISHER = uuid4()


def a_statement(opening_minor: int) -> Statement:
    return build_statement(PUBLISHER, EUR, StatementMonth.parse("2026-03"), Money(opening_minor, EUR), [])


class CountingTypesetter:
    """Typesets a document as its repr, counting how often; ``gate`` holds every typesetting
    until it is set, ``failures`` fail that many first."""

    def __init__(self, failures: int = 0) -> None:
        self.typeset, self.failures, self.gate = 0, failures, asyncio.Event()
        self.gate.set()

    async def _typeset(self, *content: object) -> bytes:
        self.typeset += 1
        await self.gate.wait()
        if self.failures:
            self.failures -= 1
            raise RuntimeError("the typesetting child died")
        return repr(content).encode()

    async def render_statement(self, statement: Statement, publisher_name: str) -> bytes:
        return await self._typeset(statement, publisher_name)

    async def render_1099k(self, year: int, form: Form1099K, filer: str) -> bytes:
        return await self._typeset(year, form, filer)

    async def render_1099nec(self, year: int, form: Form1099Nec, filer: str) -> bytes:
        return await self._typeset(year, form, filer)


async def test_the_same_statement_is_typeset_once_and_one_that_moved_is_typeset_anew() -> None:
    typesetter = CountingTypesetter()
    kept = KeptStatementRenderer(typesetter)
    first = await kept.render_statement(a_statement(0), "Acme Tools")
    assert await kept.render_statement(a_statement(0), "Acme Tools") == first
    assert typesetter.typeset == 1

    moved = await kept.render_statement(a_statement(-1200), "Acme Tools")  # a refund moved the balance
    renamed = await kept.render_statement(a_statement(0), "Acme Tools GmbH")
    assert len({first, moved, renamed}) == 3 and typesetter.typeset == 3


async def test_developers_asking_at_once_share_one_typesetting() -> None:
    typesetter = CountingTypesetter()
    typesetter.gate.clear()
    kept = KeptStatementRenderer(typesetter)
    asking = [asyncio.ensure_future(kept.render_statement(a_statement(0), "Acme Tools")) for _ in range(32)]
    await asyncio.sleep(0)
    asking[0].cancel()  # one caller gives up: the others still get the document
    typesetter.gate.set()
    answers = await asyncio.gather(*asking[1:])
    assert len(set(answers)) == 1 and typesetter.typeset == 1


async def test_a_failed_typesetting_is_not_kept() -> None:
    typesetter = CountingTypesetter(failures=1)
    kept = KeptStatementRenderer(typesetter)
    with pytest.raises(RuntimeError):
        await kept.render_statement(a_statement(0), "Acme Tools")
    assert await kept.render_statement(a_statement(0), "Acme Tools")
    assert typesetter.typeset == 2


async def test_a_form_is_typeset_once_per_content_and_the_cache_stays_bounded() -> None:
    typesetter, store = CountingTypesetter(), KeptPdfs(max_documents=2)
    kept = KeptTaxFormRenderer(typesetter, store)
    at = datetime(2026, 3, 1, tzinfo=UTC)
    tin = Tin(TinKind.SSN, "123456789")
    profile = w9(
        PUBLISHER, legal_name="Acme", entity_type=UsEntityType.INDIVIDUAL, tin=tin, sealed_tin="sealed",
        address="1 Main St", signer_name="A. Cme", at=at,
    )  # fmt: skip
    paid = Form1099Nec(profile, Money(200_000, USD), Money.zero(USD))
    first = await kept.render_1099nec(2026, paid, "Dev Forge")
    assert await kept.render_1099nec(2026, paid, "Dev Forge") == first and typesetter.typeset == 1
    paid_more = Form1099Nec(profile, Money(250_000, USD), Money.zero(USD))  # a service payment more
    assert await kept.render_1099nec(2026, paid_more, "Dev Forge") != first
    await kept.render_1099nec(2025, paid, "Dev Forge")
    assert typesetter.typeset == 3 and len(store) == 2
