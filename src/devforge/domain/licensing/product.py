"""Products: what a developer sells licenses for (the editor, a paid extension).

A product belongs to the developer who created it (``owner_id``, an identity user id); its
policies and entitlements hang off it. The code is the stable handle clients send as the
product scope of a validation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from devforge.domain.licensing.errors import ProductInvalid

CODE = re.compile(r"[a-z0-9][a-z0-9-]{1,62}")


@dataclass(frozen=True, kw_only=True)
class Product:
    id: UUID
    owner_id: UUID
    code: str
    name: str
    created_at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", self.code.strip().lower())
        object.__setattr__(self, "name", self.name.strip())
        if not CODE.fullmatch(self.code):
            raise ProductInvalid("Use 2 to 63 lower-case letters, digits or dashes.", field="code")
        if not 1 <= len(self.name) <= 100:
            raise ProductInvalid("Name the product in 1 to 100 characters.", field="name")

    def renamed(self, name: str) -> Product:
        """Only the display name changes: the code is the handle clients already validate against."""
        return replace(self, name=name)
