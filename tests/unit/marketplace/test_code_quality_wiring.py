"""The code_quality check as the worker runs it: its minimum and its switches come from settings,
like every other check's, and the settings refuse a minimum or a budget that means nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from devforge.adapters.memory.clock import ManualClock
from devforge.bootstrap.settings import SettingsError, load_settings
from devforge.bootstrap.settings.marketplace import MarketplaceSettings
from devforge.domain.marketplace.version import ReviewState

from .corpus import hostile_corpus
from .world import Market, Outside, marketplace_container

LOW_COVERAGE = hostile_corpus()["low coverage"].archive  # 42% of lines


@pytest.mark.parametrize(
    ("settings", "state", "outcome"),
    [
        ({}, ReviewState.REJECTED, "failed"),
        ({"marketplace_min_coverage_percent": 40}, ReviewState.PASSED, "passed"),
        ({"marketplace_checks_not_enforced": ["code_quality"]}, ReviewState.PASSED, "failed"),
        ({"marketplace_checks_disabled": ["code_quality"]}, ReviewState.PASSED, None),
    ],
)
async def test_settings_choose_the_minimum_and_the_switches(
    clock: ManualClock, outside: Outside, settings: dict[str, Any], state: ReviewState, outcome: str | None
) -> None:
    container = marketplace_container(clock, outside, **settings)
    market = Market(container, outside)
    try:
        extension_id = await market.extension(await market.publisher())
        await market.upload(extension_id, LOW_COVERAGE)
        await market.run_reviews()
        review = await market.review(extension_id)
        assert review.version.state is state
        by_check = {check.check: check.outcome for check in review.checks}
        assert by_check.get("code_quality") == outcome
    finally:
        await container.close()


def test_settings_read_the_minimum_and_budgets_from_the_environment(tmp_path: Path) -> None:
    environ = {
        "DEVFORGE_DATA_DIR": str(tmp_path),
        "DEVFORGE_MARKETPLACE_MIN_COVERAGE_PERCENT": "75.5",
        "DEVFORGE_MARKETPLACE_LINT_WARNING_BUDGET": "10",
        "DEVFORGE_MARKETPLACE_COVERAGE_REPORT_REQUIRED": "true",
    }
    marketplace = load_settings(environ).section(MarketplaceSettings)
    assert marketplace.marketplace_min_coverage_percent == 75.5 and marketplace.marketplace_lint_warning_budget == 10
    assert marketplace.marketplace_coverage_report_required and marketplace.marketplace_lint_error_budget == 0


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEVFORGE_MARKETPLACE_MIN_COVERAGE_PERCENT", "150"),
        ("DEVFORGE_MARKETPLACE_MIN_COVERAGE_PERCENT", "nan"),
        ("DEVFORGE_MARKETPLACE_LINT_ERROR_BUDGET", "-1"),
    ],
)
def test_settings_refuse_a_minimum_or_budget_out_of_range(tmp_path: Path, variable: str, value: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        load_settings({"DEVFORGE_DATA_DIR": str(tmp_path), variable: value})
