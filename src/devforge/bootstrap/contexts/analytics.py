"""Analytics: events from the editors and facts from the other contexts, on an analytics engine
(ClickHouse in production, chDB embedded) behind the ``AnalyticsStore`` port."""

from __future__ import annotations

from collections.abc import Sequence

from dishka import Provider

from devforge.bootstrap.adapter_choice import choose
from devforge.bootstrap.context import Context
from devforge.bootstrap.providers.analytics import (
    ChdbStoreProvider,
    ClickHouseStoreProvider,
    InProcessClaimsProvider,
    MemoryAnalyticsProvider,
    RedisClaimsProvider,
)
from devforge.bootstrap.settings import Settings
from devforge.bootstrap.settings.analytics import AnalyticsSettings
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.identity.roles import Role


def adapters(settings: Settings) -> Sequence[Provider]:
    analytics = settings.section(AnalyticsSettings)
    stores = {"chdb": ChdbStoreProvider, "clickhouse": ClickHouseStoreProvider}
    claims = {"in_process": InProcessClaimsProvider, "redis": RedisClaimsProvider}
    return (
        choose("analytics_store", analytics.analytics_store, stores),
        choose("analytics_dedup", analytics.analytics_dedup, claims),
    )


CONTEXT = Context(
    name="analytics",
    memory=(MemoryAnalyticsProvider,),
    adapters=adapters,
    settings=AnalyticsSettings,
    permissions={
        Role.ADMIN: {AnalyticsPermission.READ, AnalyticsPermission.KEYS_MANAGE},
        Role.ANALYST: {AnalyticsPermission.READ},
    },
)
