"""Build the dishka container for a profile, from the list of contexts.

``make_container(settings, *overrides)``: providers given later replace what earlier ones
provide, so a test swaps one adapter with one argument.
"""

from __future__ import annotations

from dishka import AsyncContainer, Provider, make_async_container

from devforge.bootstrap.context import Contexts
from devforge.bootstrap.contexts import CONTEXTS
from devforge.bootstrap.settings import Settings


def profile_providers(settings: Settings, contexts: Contexts = CONTEXTS) -> list[Provider]:
    """The embedded or production profile: each context's providers, its repositories on the
    database and the adapters the settings choose, the platform first."""
    return contexts.profile_providers(settings)


def check_selected_adapters(settings: Settings, contexts: Contexts = CONTEXTS) -> None:
    """What ``devforge serve`` and ``devforge worker`` run first: ``SettingsError`` naming the
    variable when an adapter the settings select lacks a setting it needs (Stripe's key...)."""
    contexts.profile_providers(settings)


def memory_providers(contexts: Contexts = CONTEXTS) -> list[Provider]:
    """Every port on its in-memory adapter: what unit tests run the use cases on."""
    return contexts.memory_providers()


def sql_providers(contexts: Contexts = CONTEXTS) -> list[Provider]:
    """Persistence and every repository on the database, to lay over ``memory_providers``."""
    return contexts.sql_providers()


def make_container(
    settings: Settings, *overrides: Provider, base: list[Provider] | None = None, contexts: Contexts = CONTEXTS
) -> AsyncContainer:
    providers = profile_providers(settings, contexts) if base is None else base
    return make_async_container(*providers, *overrides, context={Settings: settings, Contexts: contexts})
