"""A permission: the name of one thing a caller may do (``licenses:manage``).

Each bounded context declares its own permissions in its own package (``domain/<context>/
permissions.py``); the composition root decides which role holds which, in one role table.
Two kinds are marked where they are declared, because every context treats them alike:

- **administrative**: acting on other people's records across the platform. Granted only to a
  session of an admin account that has two-factor on, never to an API key.
- **on API keys**: a machine key may carry it (reading, placing orders, publishing); a key
  never manages credentials, sessions or other people's records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = re.compile(r"^[a-z_]+:[a-z_]+$")


@dataclass(frozen=True, slots=True)
class Permission:
    name: str
    administrative: bool = False
    on_api_keys: bool = False

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"a permission is named <noun>:<verb>, not {self.name!r}")
        if self.administrative and self.on_api_keys:
            raise ValueError(f"{self.name}: an administrative permission never goes on an API key")

    def __str__(self) -> str:
        return self.name


def declared_in(namespace: type) -> tuple[Permission, ...]:
    """The permissions a context's namespace class declares, in declaration order."""
    return tuple(value for value in vars(namespace).values() if isinstance(value, Permission))
