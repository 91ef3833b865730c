"""One contract for the tax profile repository, run on memory, SQLite and PostgreSQL: a profile
round-trips (its sealed TIN included), a new one replaces the old, a rollback keeps nothing; the
committed reads (``TaxProfileReads``, no unit of work) read what the repository reads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.billing.payout_ports import PayeeTax, PayeeTaxStatus
from devforge.application.billing.tax_profile_ports import TaxProfileReads, TaxProfileRepository
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.billing.tax_profile import (
    ForeignEntityType,
    TaxForm,
    TaxProfile,
    Tin,
    TinKind,
    TreatyClaim,
    UsEntityType,
    w8,
    w9,
)
from tests.integration.backends import BACKENDS, backend_container

AT = datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with backend_container(request.param, tmp_path) as built:
        yield built


def a_w9(tin: bool = True) -> TaxProfile:
    return w9(
        uuid4(),
        legal_name="Ada Lovelace",
        entity_type=UsEntityType.SOLE_PROPRIETOR,
        tin=Tin.parse("12-3456789", TinKind.EIN) if tin else None,
        sealed_tin="v1.c2VhbGVk" if tin else None,
        address="1 Main St, Springfield, IL",
        signer_name="Ada Lovelace",
        at=AT,
    )


def a_w8(publisher: UUID | None = None) -> TaxProfile:
    return w8(
        publisher or uuid4(),
        form=TaxForm.W8BEN_E,
        name="Beispiel GmbH",
        entity_type=ForeignEntityType.CORPORATION,
        country="DE",
        address="Hauptstr. 1, Berlin",
        treaty=TreatyClaim("12", 0),
        signer_name="Grete Beispiel",
        at=AT,
    )


async def save(container: AsyncContainer, *profiles: TaxProfile, commit: bool = True) -> None:
    async with container() as scope:
        repository = await scope.get(TaxProfileRepository)
        for profile in profiles:
            await repository.save(profile)
        if commit:
            await (await scope.get(UnitOfWork)).commit()


async def test_profiles_round_trip_and_list_by_publisher(container: AsyncContainer) -> None:
    us, foreign, backup = a_w9(), a_w8(), a_w9(tin=False)
    await save(container, us, foreign, backup)
    async with container() as scope:
        repository = await scope.get(TaxProfileRepository)
        assert await repository.get(us.publisher_id) == us
        assert await repository.get(foreign.publisher_id) == foreign
        assert await repository.get(backup.publisher_id) == backup
        assert await repository.get(uuid4()) is None
        assert await repository.all() == sorted([us, foreign, backup], key=lambda p: p.publisher_id)
        reads = await scope.get(TaxProfileReads)
        assert await reads.get(us.publisher_id) == us
        assert await reads.get(foreign.publisher_id) == foreign
        assert await reads.get(uuid4()) is None
        assert await reads.all() == await repository.all()


async def test_a_new_certification_replaces_the_old_and_a_rollback_keeps_nothing(container: AsyncContainer) -> None:
    first = a_w9()
    await save(container, first)
    replacement = a_w8(first.publisher_id)
    await save(container, replacement)
    await save(container, a_w9(), commit=False)
    async with container() as scope:
        repository = await scope.get(TaxProfileRepository)
        assert await repository.all() == [replacement]
        status = await scope.get(PayeeTaxStatus)
        assert await status.status(first.publisher_id) == PayeeTax(has_profile=True, withholding_basis_points=0)
        assert await status.status(uuid4()) == PayeeTax(has_profile=False, withholding_basis_points=0)
