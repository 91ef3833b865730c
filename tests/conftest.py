"""Shared fixtures: settings for tests, and containers on each backend."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import structlog
from dishka import AsyncContainer, Provider, Scope
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.mailer import InMemoryMailer
from devforge.application.common.clock import Clock
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.settings import Settings, settings_from

# CI runs the suite on two shared cores beside PostgreSQL and Redis: timing is not what the
# property tests check, so neither a slow example nor slow input generation fails them.
hypothesis_settings.register_profile("devforge", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("devforge")

# The app factory configures structlog with loggers cached on first use, which would pin a
# module's logger to the processors of whichever test built an app first in this worker and
# make `structlog.testing.capture_logs` blind to it in every later test. Tests keep them live.
_configure_structlog = structlog.configure


def _configure_structlog_uncached(*args: object, **kwargs: object) -> None:
    kwargs["cache_logger_on_first_use"] = False
    _configure_structlog(*args, **kwargs)  # type: ignore[arg-type]


structlog.configure = _configure_structlog_uncached  # type: ignore[assignment]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``make test``'s ``--dist loadgroup`` runs the tests of one ``xdist_group`` on one worker, one
    at a time. pytest-xdist (3.8) tells its scheduler a test's group by appending ``@<group>`` to the
    node id, and pytest 9.2 no longer takes that (the id became structured; pytest-xdist#1386), so
    every group was silently ignored: the multi-process drills of one group ran side by side and the
    forecaster contract imported statsforecast in each worker. This appends it where pytest-xdist
    could not (in each worker, after its own hook); with a pytest-xdist that manages, it does nothing."""
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        names = {
            str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in item.iter_markers("xdist_group")
        }
        suffix = "@" + "_".join(sorted(names))
        if names and not item.nodeid.endswith(suffix):
            from _pytest.nodeid import NodeId  # pytest >= 9.2, where the id is structured

            item._id = NodeId.parse(item.nodeid + suffix)  # type: ignore[attr-defined]


def settings_for_tests(**overrides: object) -> Settings:
    base: dict[str, object] = {
        "secret_key": "test-secret-key-with-enough-length-0123456789",
        "argon2_memory_kib": 1024,
        "argon2_time_cost": 1,
        "outbox_poll_seconds": 0.05,
        "delivery_retry_base_seconds": 1.0,
        # A verified publisher's clean versions are approved at once, as the stories of the catalogue
        # need; tests/unit/marketplace/test_review_queue.py puts publishers on probation itself.
        "marketplace_probation_approved_versions": 0,
        "marketplace_probation_days": 0.0,
        # Tests write analytics' buffer and hand on its live counts by hand (FlushEventBuffer,
        # PublishLiveCounts); a job every second (or quarter second) in each
        # app's lifespan would only take the container's lock from the test client's other loop.
        "analytics_flush_seconds": 3600.0,
        "analytics_live_publish_seconds": 3600.0,
        # PDFs on a thread: a child process per app would cost each test a spawn (the child's own
        # path is tests/unit/billing/test_pdf_typesetting.py's).
        "pdf_process": False,
        # chDB in the test process too: a child per app would cost each test a spawn and chDB's
        # import (the child's own path: tests/integration/analytics/test_chdb_process.py and the
        # store contract suite's ``chdb_process``).
        "analytics_chdb_process": False,
    }
    return settings_from(base | overrides)


def manual_clock_provider(clock: ManualClock) -> Provider:
    provider = Provider(scope=Scope.APP)
    provider.provide(lambda: clock, provides=Clock)
    return provider


@pytest.fixture(scope="session", autouse=True)
def _drop_pooled_databases() -> Iterator[None]:
    """The PostgreSQL databases this test process reused (tests/integration/backends.py)."""
    yield
    from tests.integration.backends import drop_pooled_databases

    drop_pooled_databases()


@pytest.fixture(autouse=True)
def _lent_apps_come_back() -> Iterator[None]:
    """The apps ``build_client`` lent this test are free again once it ends (tests/integration/http/apps.py)."""
    yield
    from tests.integration.http.apps import release_all

    release_all()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def memory_container(clock: ManualClock) -> AsyncIterator[AsyncContainer]:
    """Every port on its in-memory adapter, and a clock the test moves."""
    container = make_container(settings_for_tests(), manual_clock_provider(clock), base=memory_providers())
    yield container
    await container.close()


@pytest.fixture
async def mailer(memory_container: AsyncContainer) -> InMemoryMailer:
    return await memory_container.get(InMemoryMailer)
