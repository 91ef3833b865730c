"""Settings from ``DEVFORGE_*`` variables (or, in tests, from field values by name).

Every field of every section is one variable (``stripe_api_key`` <- ``DEVFORGE_STRIPE_API_KEY``).
A value that does not parse, or that its section cannot run with, raises ``SettingsError``
naming the variable. Lists are comma-separated. What an adapter the settings select needs
(Stripe's key, the S3 bucket) is checked when a process selects its adapters
(``bootstrap/adapter_choice.py``), not here: ``devforge migrate`` needs no Stripe key.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable, Mapping
from typing import Any, Literal, get_args, get_origin, get_type_hints

import msgspec

from devforge.bootstrap.settings.root import PLATFORM_SECTIONS, Settings
from devforge.bootstrap.settings.section import Section, SettingsError, variable

Owner = type[Section] | type[Settings]


def field_owners(sections: Iterable[type[Section]]) -> dict[str, Owner]:
    """Which section holds each field. A name held twice would be one variable for two settings."""
    owners: dict[str, Owner] = {}
    every: tuple[Owner, ...] = (Settings, *PLATFORM_SECTIONS.values(), *sections)
    for owner in every:
        names = (n for n in owner.__struct_fields__ if owner is not Settings or _own(n))
        for name in names:
            if owners.setdefault(name, owner) is not owner:
                raise ValueError(f"{variable(name)} would be read by {owners[name].__name__} and {owner.__name__}")
    return owners


def settings_from(values: Mapping[str, Any], sections: Iterable[type[Section]] | None = None) -> Settings:
    """Settings from field values by name, each section resolved against the profile and checked."""
    kinds = tuple(_context_sections() if sections is None else sections)
    owners = field_owners(kinds)
    grouped: dict[Owner, dict[str, Any]] = {}
    for name, value in values.items():
        if name not in owners:
            raise SettingsError(f"no setting is named {name!r}")
        grouped.setdefault(owners[name], {})[name] = value
    root = Settings(**grouped.get(Settings, {}))

    def built(kind: type[Section]) -> Section:
        section = kind(**grouped.get(kind, {})).resolved(root.profile, root.data_path)
        section.check(root.profile)
        return section

    platform = {name: built(kind) for name, kind in PLATFORM_SECTIONS.items()}
    settings = msgspec.structs.replace(root, **platform, sections=tuple(built(kind) for kind in kinds))
    settings.check()
    return settings


def load_settings(
    environ: Mapping[str, str] | None = None,
    *,
    local_secret: bool = True,
    sections: Iterable[type[Section]] | None = None,
) -> Settings:
    """``local_secret=False`` leaves an unset embedded secret key unset instead of generating one
    into the data directory (``devforge restore`` must find that directory as it was)."""
    environ = os.environ if environ is None else environ
    kinds = tuple(_context_sections() if sections is None else sections)
    values: dict[str, Any] = {}
    for name, owner in field_owners(kinds).items():
        if variable(name) in environ:
            values[name] = _parse(variable(name), environ[variable(name)], get_type_hints(owner)[name])
    settings = settings_from(values, kinds)
    if not settings.secret_key and local_secret:
        settings = msgspec.structs.replace(settings, secret_key=_local_secret(settings))
    return settings


def _own(name: str) -> bool:
    return name != "sections" and name not in PLATFORM_SECTIONS


def _context_sections() -> tuple[type[Section], ...]:
    from devforge.bootstrap.contexts import CONTEXTS  # the contexts' modules import these settings

    return CONTEXTS.settings_sections()


def _parse(name: str, raw: str, annotation: Any) -> Any:
    value: Any = raw
    if get_origin(annotation) is list:
        value = [item.strip() for item in raw.split(",") if item.strip()]
    try:
        return msgspec.convert(value, annotation, strict=False)
    except msgspec.ValidationError as error:
        expected = ", ".join(map(repr, get_args(annotation))) if get_origin(annotation) is Literal else None
        detail = f"expected one of {expected}" if expected else str(error)
        raise SettingsError(f"{name}={raw!r} is invalid: {detail}") from None


def _local_secret(settings: Settings) -> str:
    """The embedded profile keeps a generated key in its data folder (mode 0600), so tokens
    survive restarts without anyone having to invent a secret."""
    path = settings.data_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
