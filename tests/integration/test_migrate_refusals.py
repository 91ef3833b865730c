"""``devforge migrate``: a downgrade deletes data, so it is refused unless asked for with
``--allow-downgrade``, and either way it names the tables and columns it drops (read from the
migrations, and checked here against what each step down really removes). A revision that does
not exist is an error, never "nothing to do"."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from devforge.adapters.persistence.migrate import current_revision, downgrade, revisions, table_names, upgrade
from devforge.adapters.persistence.migration_drops import downgrade_drops
from devforge.entrypoints.cli.main import main
from tests.integration.backends import postgres_database
from tests.integration.test_migrations import on_connection

HEAD = revisions()[-1]
ADDED_AFTER_0012 = {
    "marketplace_ratings",
    "marketplace_downloaders",
    "marketplace_version_dependencies",
    "marketplace_dist_tags",
    "mail_outbox",
    "payment_sandbox_disputes",
    "marketplace_download_counts",
    "marketplace_name_claims",
    "billing_tax_profiles",
    "billing_payout_runs",
    "billing_payouts",
    "billing_payout_skips",
    "billing_payout_holds",
    "payment_sandbox_transfers",
    "billing_processor_fees",
    "analytics_ingestion_keys",
    "billing_payout_accounts",
    "payment_sandbox_accounts",
    "analytics_erasures",
    "analytics_forecasts",
    "analytics_alert_rules",
    "analytics_alert_firings",
    "analytics_report_runs",
    "analytics_report_subscriptions",
    "analytics_exports",
}


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DEVFORGE_DATA_DIR", str(tmp_path))
    assert main(["migrate"]) == 0
    return tmp_path


def url_of(data_dir: Path) -> str:
    return f"sqlite+aiosqlite:///{data_dir / 'devforge.db'}"


def test_a_downgrade_is_refused_and_names_what_it_would_drop(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = table_names(url_of(data_dir))
    capsys.readouterr()

    assert main(["migrate", "0012"]) == 1

    refusal = capsys.readouterr().err
    assert f"refusing to downgrade the schema from {HEAD} to 0012" in refusal
    assert all(table in refusal for table in ADDED_AFTER_0012), refusal
    assert "marketplace_extensions.license_product_id" in refusal and "marketplace_listings.all_words" in refusal
    assert "devforge migrate 0012 --allow-downgrade" in refusal
    assert current_revision(url_of(data_dir)) == HEAD
    assert table_names(url_of(data_dir)) == before


def test_an_allowed_downgrade_drops_the_tables_it_named(data_dir: Path) -> None:
    before = table_names(url_of(data_dir))

    assert main(["migrate", "0012", "--allow-downgrade"]) == 0

    assert current_revision(url_of(data_dir)) == "0012"
    assert before - table_names(url_of(data_dir)) == ADDED_AFTER_0012
    assert main(["migrate"]) == 0  # and back up again
    assert current_revision(url_of(data_dir)) == HEAD


@pytest.mark.parametrize("revision", ["9999", "14", "-1", "latest"])
def test_a_revision_that_does_not_exist_exits_non_zero(
    data_dir: Path, capsys: pytest.CaptureFixture[str], revision: str
) -> None:
    capsys.readouterr()
    assert main(["migrate", revision]) == 2
    assert f"revision {revision!r} is not one of this release's migrations" in capsys.readouterr().err
    assert current_revision(url_of(data_dir)) == HEAD


def test_a_database_migrated_by_a_newer_release_is_left_alone(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(data_dir / "devforge.db") as db:
        db.execute("UPDATE alembic_version SET version_num = '0099'")
    capsys.readouterr()
    assert main(["migrate"]) == 1
    assert "the database is at revision 0099, which this release does not know" in capsys.readouterr().err


@pytest.fixture(params=["sqlite", "postgres"])
async def database_at_head(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'steps.db'}"
        await asyncio.to_thread(upgrade, url)
        yield url
        return
    async with postgres_database() as url:
        yield url


async def test_each_step_down_drops_exactly_what_the_listing_says(database_at_head: str) -> None:
    url = database_at_head
    for previous, revision in reversed(list(zip(["base", *revisions()], revisions(), strict=False))):
        [said] = await asyncio.to_thread(downgrade_drops, revision, None if previous == "base" else previous)
        before = await on_connection(url, columns)
        await asyncio.to_thread(downgrade, url, previous)
        after = await on_connection(url, columns)
        dropped_tables = before.keys() - after.keys() - {"alembic_version"}
        dropped_columns = {
            f"{table}.{column}" for table in after.keys() & before.keys() for column in before[table] - after[table]
        }
        assert (revision, dropped_tables, dropped_columns) == (revision, set(said.tables), set(said.columns))


def columns(connection: Connection) -> dict[str, set[str]]:
    inspector = inspect(connection)
    return {table: {c["name"] for c in inspector.get_columns(table)} for table in inspector.get_table_names()}
