"""One rule for choosing adapters: a setting selects a provider, and a provider never looks at
a setting to decide what to build.

A context's ``adapters(settings)`` picks each technology with ``choose``; the provider of a
technology names, in ``requires``, the settings it cannot run without. ``check_required`` runs
when a process builds its container (``devforge serve``, ``devforge worker``...), so a
production process with Stripe selected and no key refuses to start, naming the variable,
instead of answering 500 at the first checkout. Whether a server answers (clamd, SMTP, S3) is
not checked at start: readiness and the worker's retries deal with that.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from dishka import Provider

from devforge.bootstrap.settings import Settings, SettingsError, variable


class AdapterProvider(Provider):
    """The provider of one technology a setting selects."""

    requires: ClassVar[tuple[str, ...]] = ()
    """Fields that must not be empty when this technology is selected."""
    label: ClassVar[str] = ""
    """What it is, for the refusal: "the Stripe payment provider"."""
    chosen_by: str = ""


def choose(field: str, value: str, options: Mapping[str, type[AdapterProvider]]) -> AdapterProvider:
    """The provider ``options`` lists for the value of the setting ``field``."""
    kind = options.get(value)
    if kind is None:
        raise SettingsError(f"{variable(field)}={value!r} selects no adapter: one of {', '.join(options)}")
    provider = kind()
    provider.chosen_by = f"{variable(field)}={value}"
    return provider


def check_required(settings: Settings, providers: Iterable[Provider]) -> None:
    """Refuses, naming the variable, a selected technology whose required settings are empty."""
    for provider in providers:
        if not isinstance(provider, AdapterProvider):
            continue
        for field in provider.requires:
            if not settings.value_of(field):
                because = f" ({provider.chosen_by})" if provider.chosen_by else ""
                raise SettingsError(f"{variable(field)} must be set: {provider.label} needs it{because}")
