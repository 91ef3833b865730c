"""The seeded revenue year (``tests/unit/analytics/test_seeded_revenue_year.py``) with identity,
licensing and billing on SQLite: the ledger's published read goes through SQL
(``SqlaFinanceReader.recurring_sales`` and the ledger's movements) and still equals analytics'
figures and the plain calculation to the minor unit."""

from __future__ import annotations

from pathlib import Path

from devforge.bootstrap.providers.billing import SqlaBillingProvider
from devforge.bootstrap.providers.billing_documents import SqlaBillingDocumentsProvider
from devforge.bootstrap.providers.identity import SqlaIdentityProvider
from devforge.bootstrap.providers.licensing import SqlaLicensingProvider
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from tests.integration.backends import sqlite_database
from tests.unit.analytics.test_seeded_revenue_year import check_the_year, seeded_year


async def test_the_seeded_year_on_sqlite_equals_the_plain_calculation_and_the_ledger(tmp_path: Path) -> None:
    sql = (
        SqlaPersistenceProvider(),
        SqlaIdentityProvider(),
        SqlaLicensingProvider(),
        SqlaBillingProvider(),
        SqlaBillingDocumentsProvider(),
    )
    async with sqlite_database(tmp_path) as url:
        year = await seeded_year(*sql, database_url=url)
        try:
            await check_the_year(year)
        finally:
            await year.world.container.close()
