"""What a bounded context contributes to the running system, declared in one place.

Each context has one module under ``bootstrap/contexts/`` that builds a ``Context``. The
container, the consumer registry, the HTTP app and the worker iterate ``CONTEXTS``
(``bootstrap/contexts/__init__.py``): a new context is its own files plus one line there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, cast

from dishka import AsyncContainer, Provider, Scope
from sqlalchemy import Table

from devforge.application.analytics.metric_catalogue import Metric, MetricCatalogue
from devforge.application.common.consumers import EventConsumer, Subscriptions
from devforge.bootstrap.adapter_choice import check_required
from devforge.bootstrap.settings import Section, Settings
from devforge.domain.identity.role_table import RoleGrants, RoleTable

ProviderFactory = Callable[[], Provider]


@dataclass(frozen=True)
class PeriodicJob:
    """Work run every ``seconds`` (a number, or read from the settings), one run at a time.
    ``run`` answers whether more may be waiting (a full batch), so the next run starts at once."""

    name: str
    seconds: float | Callable[[Settings], float]
    run: Callable[[AsyncContainer], Awaitable[bool]]

    def every(self, settings: Settings) -> float:
        return self.seconds(settings) if callable(self.seconds) else self.seconds


def tables_of(*modules: ModuleType) -> tuple[Table, ...]:
    """Every table a table module defines."""
    return tuple(table for module in modules for table in vars(module).values() if isinstance(table, Table))


def _no_adapters(_: Settings) -> Sequence[Provider]:
    return ()


@dataclass(frozen=True)
class Context:
    """One bounded context (or the platform all of them stand on), as the composition root sees it.

    Providers come in three groups, so each profile takes what it needs:
    ``providers`` run in every profile (use cases, services on ports); ``sql`` are the
    repositories on the database (embedded and production); ``adapters`` picks the technology
    the settings name (embedded and production). ``memory`` replaces ``sql`` and ``adapters``
    when everything runs in memory (unit tests). Consumers are provided by the container from
    ``consumers`` alone: list a consumer here, not in a provider.
    """

    name: str
    providers: tuple[ProviderFactory, ...] = ()
    sql: tuple[ProviderFactory, ...] = ()
    memory: tuple[ProviderFactory, ...] = ()
    adapters: Callable[[Settings], Sequence[Provider]] = _no_adapters
    consumers: tuple[type[Any], ...] = ()
    """``EventConsumer`` classes. (Typed loosely: mypy holds a consumer's ``subscribes_to =
    (OrderPaidV1,)`` to be ``tuple[type[OrderPaidV1]]``, which the protocol's mutable attribute
    ``tuple[type[IntegrationEvent], ...]`` refuses.)"""
    periodic_jobs: tuple[PeriodicJob, ...] = ()
    """Jobs the worker runs (one worker is enough; several take turns)."""
    api_jobs: tuple[PeriodicJob, ...] = ()
    """Jobs every API process runs beside its requests, and once more as it stops: for what a
    process keeps in memory and writes every few seconds (licensing's validation counts)."""
    http_routes: str = ""
    """The module of the HTTP shell that lists the context's controllers as ``CONTROLLERS`` (and
    may offer ``fast_endpoint(fallback, container_of, settings)``, an endpoint answering some requests
without Litestar, behind the same pipeline of steps: ``entrypoints/http/pipeline.py``).
    Named, not imported: bootstrap sits below the entrypoints (see architecture.md)."""
    settings: type[Section] | None = None
    """Its section of the settings (``bootstrap/settings/<context>.py``): loaded from its
    ``DEVFORGE_*`` variables and checked at start, read with ``settings.section(...)``, and
    provided by the container to whoever takes it as a dependency."""
    permissions: RoleGrants = field(default_factory=dict)
    """Which role holds which of the context's permissions (declared in its own package,
    ``domain/<context>/permissions.py``). Deny by default: a permission no role holds is refused."""
    tables: tuple[Table, ...] = ()
    """The tables the context owns (see ``tables_of``); no other context reads or writes them."""
    metrics: tuple[Metric, ...] = ()
    """The figures it adds to the analytics metric catalogue (``application/analytics/metric_catalogue.py``
    says how): computed over the facts its published events become in the analytics store."""

    def profile_providers(self, settings: Settings) -> list[Provider]:
        return [
            self._section(),
            self._consumers(),
            *(make() for make in self.providers),
            *(make() for make in self.sql),
            *self.adapters(settings),
        ]

    def memory_providers(self) -> list[Provider]:
        return [
            self._section(),
            self._consumers(),
            *(make() for make in self.providers),
            *(make() for make in self.memory),
        ]

    def table_names(self) -> set[str]:
        return {table.name for table in self.tables}

    def _section(self) -> Provider:
        provider = Provider(scope=Scope.APP)
        kind = self.settings
        if kind is not None:

            def section(settings: Settings) -> Section:
                return settings.section(kind)

            provider.provide(section, provides=kind)
        return provider

    def _consumers(self) -> Provider:
        """Before the context's providers, so a consumer that needs a factory of its own can
        still be given one by a provider."""
        provider = Provider(scope=Scope.REQUEST)
        for consumer in self.consumers:
            provider.provide(consumer)
        return provider


@dataclass(frozen=True)
class Contexts:
    """The contexts of one running system, in order: the platform first."""

    all: tuple[Context, ...]
    _by_name: dict[str, type[EventConsumer]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name: dict[str, type[EventConsumer]] = {}
        for context in self.all:
            for consumer in cast("tuple[type[EventConsumer], ...]", context.consumers):
                if by_name.setdefault(consumer.name, consumer) is not consumer:
                    raise ValueError(f"two consumers are named {consumer.name!r}")
        object.__setattr__(self, "_by_name", by_name)

    def __iter__(self) -> Iterator[Context]:
        return iter(self.all)

    def including(self, *contexts: Context) -> Contexts:
        return Contexts((*self.all, *contexts))

    @property
    def consumers(self) -> dict[str, type[EventConsumer]]:
        """Every consumer of every context, by its name (unique)."""
        return dict(self._by_name)

    def subscriptions(self) -> Subscriptions:
        return Subscriptions.of(self._by_name.values())

    def role_table(self) -> RoleTable:
        """Every context's grants, in one table (a name declared twice, differently, is refused)."""
        return RoleTable.of(*(context.permissions for context in self.all))

    def metric_catalogue(self) -> MetricCatalogue:
        """Every context's metrics in one catalogue (a key and version registered twice is refused)."""
        return MetricCatalogue(metric for context in self.all for metric in context.metrics)

    def periodic_jobs(self) -> list[PeriodicJob]:
        return [job for context in self.all for job in context.periodic_jobs]

    def api_jobs(self) -> list[PeriodicJob]:
        return [job for context in self.all for job in context.api_jobs]

    def settings_sections(self) -> tuple[type[Section], ...]:
        return tuple(context.settings for context in self.all if context.settings is not None)

    def profile_providers(self, settings: Settings) -> list[Provider]:
        """Refuses (``SettingsError`` naming the variable) a selected adapter whose required
        settings are missing: see ``adapter_choice``."""
        providers = [provider for context in self.all for provider in context.profile_providers(settings)]
        check_required(settings, providers)
        return providers

    def memory_providers(self) -> list[Provider]:
        return [provider for context in self.all for provider in context.memory_providers()]

    def sql_providers(self) -> list[Provider]:
        """The database repositories of every context: laid over ``memory_providers`` (with
        the platform's persistence among them), they put persistence on SQL and keep the rest
        in memory, which is what repository contract tests run on."""
        return [make() for context in self.all for make in context.sql]
