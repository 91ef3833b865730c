"""A section of the settings: the fields of one part of the system, each read from
``DEVFORGE_<FIELD>``, resolved against the profile and checked when the settings load."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, Literal, Self

import msgspec

Profile = Literal["embedded", "production"]


class SettingsError(ValueError):
    """A setting that is missing or invalid; the message names its variable."""


def variable(field: str) -> str:
    """The environment variable of a field: ``stripe_api_key`` <- ``DEVFORGE_STRIPE_API_KEY``."""
    return f"DEVFORGE_{field.upper()}"


class Section(msgspec.Struct, frozen=True, kw_only=True):
    """Field names are unique across all sections (each is one variable). ``SECRETS`` are
    masked in ``repr``."""

    SECRETS: ClassVar[frozenset[str]] = frozenset()

    def resolved(self, profile: Profile, data_path: Path) -> Self:
        """The section with its ``auto`` choices and empty defaults made concrete, so code
        reads the value the process runs with (``payment_provider`` is ``stripe``, not ``auto``)."""
        return self

    def check(self, profile: Profile) -> None:
        """Raises ``SettingsError`` naming the variable of a value this section cannot run with."""

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={_masked(self, name)!r}" for name in self.__struct_fields__)
        return f"{type(self).__name__}({shown})"

    def require_positive(self, *fields: str) -> None:
        for field in fields:
            if getattr(self, field) <= 0:
                raise SettingsError(f"{variable(field)} must be a positive number")

    def require_not_negative(self, *fields: str) -> None:
        for field in fields:
            if getattr(self, field) < 0:
                raise SettingsError(f"{variable(field)} must be zero or more")


def _masked(section: Section, name: str) -> Any:
    value = getattr(section, name)
    return "***" if name in section.SECRETS and value else value
