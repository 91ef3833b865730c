"""Settings in sections: each context reads its own, every documented ``DEVFORGE_*`` variable
still works, a bad value names its variable, and what a selected adapter needs is checked when
a process selects it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from devforge.bootstrap.container import check_selected_adapters
from devforge.bootstrap.contexts import CONTEXTS
from devforge.bootstrap.settings import Section, SettingsError, field_owners, load_settings, variable
from devforge.bootstrap.settings.billing import BillingSettings
from devforge.bootstrap.settings.identity import IdentitySettings
from devforge.bootstrap.settings.licensing import LicensingSettings
from devforge.bootstrap.settings.marketplace import MarketplaceSettings

README = Path(__file__).resolve().parents[3] / "README.md"
SECRET = {"DEVFORGE_SECRET_KEY": "s" * 40}
PRODUCTION = SECRET | {"DEVFORGE_PROFILE": "production", "DEVFORGE_DATABASE_URL": "postgresql+asyncpg://db/devforge"}
NOT_SETTINGS = {"DEVFORGE_REQUIRE_SERVICES", "DEVFORGE_TEST_POSTGRES_URL", "DEVFORGE_TEST_REDIS_URL"}


def test_every_variable_the_readme_documents_is_read_and_every_setting_is_documented() -> None:
    documented = set(re.findall(r"DEVFORGE_[A-Z0-9_]+", README.read_text())) - NOT_SETTINGS
    read = {variable(name) for name in field_owners(CONTEXTS.settings_sections())}
    assert documented == read


def test_each_context_reads_its_own_section(tmp_path: Path) -> None:
    settings = load_settings(
        SECRET
        | {
            "DEVFORGE_DATA_DIR": str(tmp_path),
            "DEVFORGE_SESSION_DAYS": "7",
            "DEVFORGE_STRIPE_API_KEY": "sk_test_1",
            "DEVFORGE_MAX_PACKAGE_BYTES": "1000",
            "DEVFORGE_PORT": "9000",
        }
    )
    assert settings.section(IdentitySettings).session_days == 7
    assert settings.section(BillingSettings).stripe_api_key == "sk_test_1"
    assert settings.section(MarketplaceSettings).max_package_bytes == 1000
    assert settings.section(LicensingSettings).license_keys_path == tmp_path / "license_keys"
    assert settings.http.resolved_public_base_url == "http://127.0.0.1:9000"


def test_auto_choices_are_made_for_the_profile(tmp_path: Path) -> None:
    embedded = load_settings(SECRET | {"DEVFORGE_DATA_DIR": str(tmp_path)})
    production = load_settings(PRODUCTION | {"DEVFORGE_DATA_DIR": str(tmp_path)})
    choices = [
        lambda s: s.section(BillingSettings).payment_provider,
        lambda s: s.section(BillingSettings).vies,
        lambda s: s.section(MarketplaceSettings).malware_scanner,
        lambda s: s.section(MarketplaceSettings).dns_resolver,
        lambda s: s.mail.mail_backend,
    ]
    assert [choice(embedded) for choice in choices] == ["sandbox", "offline", "builtin", "static", "maildir"]
    assert [choice(production) for choice in choices] == ["stripe", "rest", "clamd", "dnspython", "smtp"]
    assert embedded.database.database_url == f"sqlite+aiosqlite:///{tmp_path / 'devforge.db'}"
    assert embedded.section(IdentitySettings).password_hashing_workers == len(os.sched_getaffinity(0))


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"DEVFORGE_PORT": "eighty"}, "DEVFORGE_PORT"),
        ({"DEVFORGE_SESSION_DAYS": "0"}, "DEVFORGE_SESSION_DAYS"),
        ({"DEVFORGE_PAYMENT_PROVIDER": "paypal"}, "DEVFORGE_PAYMENT_PROVIDER"),
        ({"DEVFORGE_MARKETPLACE_LINT_ERROR_BUDGET": "-1"}, "DEVFORGE_MARKETPLACE_LINT_ERROR_BUDGET"),
        ({"DEVFORGE_MARKETPLACE_REVIEW_CONCURRENCY": "0"}, "DEVFORGE_MARKETPLACE_REVIEW_CONCURRENCY"),
        ({"DEVFORGE_MARKETPLACE_REVIEW_CPUS": "-1"}, "DEVFORGE_MARKETPLACE_REVIEW_CPUS"),
        ({"DEVFORGE_MARKETPLACE_SEARCH_CACHE_ROWS": "0"}, "DEVFORGE_MARKETPLACE_SEARCH_CACHE_ROWS"),
        ({"DEVFORGE_MARKETPLACE_SEARCH_CACHE_PAGES": "0"}, "DEVFORGE_MARKETPLACE_SEARCH_CACHE_PAGES"),
        ({"DEVFORGE_MARKETPLACE_DOWNLOADS_PER_MINUTE": "0"}, "DEVFORGE_MARKETPLACE_DOWNLOADS_PER_MINUTE"),
        ({"DEVFORGE_PASSWORD_HASHING_WORKERS": "-1"}, "DEVFORGE_PASSWORD_HASHING_WORKERS"),
        ({"DEVFORGE_ARGON2_MEMORY_KIB": "0"}, "DEVFORGE_ARGON2_MEMORY_KIB"),
        ({"DEVFORGE_MARKETPLACE_RATING_MIN_DOWNLOAD_HOURS": "-1"}, "DEVFORGE_MARKETPLACE_RATING_MIN_DOWNLOAD_HOURS"),
        ({"DEVFORGE_CLAMD_ADDRESS": "clamd"}, "DEVFORGE_CLAMD_ADDRESS"),
        ({"DEVFORGE_SECRET_KEY": "short"}, "DEVFORGE_SECRET_KEY"),
        ({"DEVFORGE_PAYOUT_HOLD_DAYS": "-1"}, "DEVFORGE_PAYOUT_HOLD_DAYS"),
        ({"DEVFORGE_PAYOUT_DAY_OF_MONTH": "31"}, "DEVFORGE_PAYOUT_DAY_OF_MONTH"),
        ({"DEVFORGE_PAYOUT_MINIMUMS": "USD=100,XYZ=5"}, "DEVFORGE_PAYOUT_MINIMUMS"),
        ({"DEVFORGE_PAYOUT_MINIMUMS": "EUR=-5"}, "DEVFORGE_PAYOUT_MINIMUMS"),
        ({"DEVFORGE_PROCESSOR_FEES": "USD=290+30,XYZ=100"}, "DEVFORGE_PROCESSOR_FEES"),
        ({"DEVFORGE_PROCESSOR_FEES": "EUR=12000+25"}, "DEVFORGE_PROCESSOR_FEES"),
        ({"DEVFORGE_PROCESSOR_FEES": "EUR=290+-1"}, "DEVFORGE_PROCESSOR_FEES"),
        ({"DEVFORGE_PROCESSOR_FEES": "EUR"}, "DEVFORGE_PROCESSOR_FEES"),
        ({"DEVFORGE_PROCESSOR_FEE_DEFAULT_BP": "-1"}, "DEVFORGE_PROCESSOR_FEE_DEFAULT_BP"),
        ({"DEVFORGE_PROFILE": "production", "DEVFORGE_DATABASE_URL": "sqlite:///x"}, "DEVFORGE_DATABASE_URL"),
    ],
)
def test_a_value_no_section_can_run_with_is_refused_by_its_variable(
    environ: dict[str, str], named: str, tmp_path: Path
) -> None:
    with pytest.raises(SettingsError, match=named):
        load_settings(SECRET | {"DEVFORGE_DATA_DIR": str(tmp_path)} | environ)


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({}, "DEVFORGE_STRIPE_API_KEY"),
        ({"DEVFORGE_STRIPE_API_KEY": "sk_live_1"}, "DEVFORGE_WEBHOOK_SECRETS"),
        ({"DEVFORGE_STORAGE_BACKEND": "s3"}, "DEVFORGE_S3_BUCKET"),
        ({"DEVFORGE_CDN": "cloudflare", "DEVFORGE_CLOUDFLARE_API_TOKEN": "t"}, "DEVFORGE_CLOUDFLARE_ZONE_ID"),
        ({"DEVFORGE_CDN": "cloudflare", "DEVFORGE_CLOUDFLARE_ZONE_ID": "z"}, "DEVFORGE_CLOUDFLARE_API_TOKEN"),
        ({"DEVFORGE_TAX_BACKEND": "taxjar"}, "DEVFORGE_TAXJAR_API_TOKEN"),
    ],
)
def test_a_selected_adapter_without_what_it_needs_is_refused_when_selected(
    environ: dict[str, str], named: str, tmp_path: Path
) -> None:
    """Loading alone accepts them (``devforge migrate`` needs no Stripe key); selecting the
    adapters, as ``devforge serve`` and ``devforge worker`` do first, refuses them."""
    stripe_ready = {"DEVFORGE_STRIPE_API_KEY": "sk_live_1", "DEVFORGE_WEBHOOK_SECRETS": "whsec_1"}
    ready = {} if named in ("DEVFORGE_STRIPE_API_KEY", "DEVFORGE_WEBHOOK_SECRETS") else stripe_ready
    settings = load_settings(PRODUCTION | {"DEVFORGE_DATA_DIR": str(tmp_path)} | ready | environ)
    with pytest.raises(SettingsError, match=named):
        check_selected_adapters(settings)


def test_an_unreachable_clamd_is_not_a_reason_to_refuse_to_start(tmp_path: Path) -> None:
    """Whether clamd answers is the scans' business (an error result), not the start's."""
    settings = load_settings(
        SECRET
        | {
            "DEVFORGE_DATA_DIR": str(tmp_path),
            "DEVFORGE_MALWARE_SCANNER": "clamd",
            "DEVFORGE_CLAMD_ADDRESS": "127.0.0.1:1",
        }
    )
    check_selected_adapters(settings)


CLICKHOUSE = {"DEVFORGE_CLICKHOUSE_URL": "https://clickhouse.internal:8443", "DEVFORGE_CLICKHOUSE_USER": "devforge"}


def test_the_production_defaults_start_once_stripe_has_its_key(tmp_path: Path) -> None:
    environ = PRODUCTION | CLICKHOUSE | {"DEVFORGE_DATA_DIR": str(tmp_path)}
    check_selected_adapters(
        load_settings(environ | {"DEVFORGE_STRIPE_API_KEY": "sk_live_1", "DEVFORGE_WEBHOOK_SECRETS": "whsec_1"})
    )
    check_selected_adapters(load_settings(environ | {"DEVFORGE_PAYMENT_PROVIDER": "sandbox"}))


def test_production_refuses_to_start_without_clickhouse_unless_analytics_is_set_to_chdb(tmp_path: Path) -> None:
    environ = PRODUCTION | {"DEVFORGE_DATA_DIR": str(tmp_path), "DEVFORGE_PAYMENT_PROVIDER": "sandbox"}
    with pytest.raises(SettingsError, match="DEVFORGE_CLICKHOUSE_URL must be set: the ClickHouse analytics store"):
        check_selected_adapters(load_settings(environ))
    with pytest.raises(SettingsError, match="DEVFORGE_CLICKHOUSE_USER must be set"):
        check_selected_adapters(load_settings(environ | {"DEVFORGE_CLICKHOUSE_URL": "http://ch:8123"}))
    with pytest.raises(SettingsError, match="DEVFORGE_CLICKHOUSE_URL must be an http"):
        load_settings(environ | CLICKHOUSE | {"DEVFORGE_CLICKHOUSE_URL": "ch:9000"})
    check_selected_adapters(load_settings(environ | CLICKHOUSE))
    check_selected_adapters(load_settings(environ | {"DEVFORGE_ANALYTICS_STORE": "chdb"}))


def test_secrets_are_masked_wherever_their_section_is(tmp_path: Path) -> None:
    secrets = {
        "DEVFORGE_SECRET_KEY": "k" * 40,
        "DEVFORGE_SMTP_PASSWORD": "smtp-secret",
        "DEVFORGE_STRIPE_API_KEY": "sk-secret",
        "DEVFORGE_WEBHOOK_SECRETS": "whsec-secret",
        "DEVFORGE_TAXJAR_API_TOKEN": "taxjar-secret",
        "DEVFORGE_CLOUDFLARE_API_TOKEN": "cf-secret",
        "DEVFORGE_CLICKHOUSE_PASSWORD": "ch-secret",
    }
    shown = repr(load_settings(secrets | {"DEVFORGE_DATA_DIR": str(tmp_path)}))
    assert "BillingSettings(" in shown and "stripe_api_key='***'" in shown
    assert [value for value in secrets.values() if value in shown] == []


def test_one_variable_is_one_setting() -> None:
    class CopyOfBilling(Section, frozen=True, kw_only=True):
        stripe_api_key: str = ""

    with pytest.raises(ValueError, match="DEVFORGE_STRIPE_API_KEY would be read by BillingSettings and CopyOfBilling"):
        field_owners((*CONTEXTS.settings_sections(), CopyOfBilling))
