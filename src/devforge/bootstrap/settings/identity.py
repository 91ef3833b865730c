"""Identity's settings: sessions, tokens and password hashing."""

from __future__ import annotations

from pathlib import Path
from typing import Self

import msgspec

from devforge.adapters.security.hashing_pool import cores_available
from devforge.bootstrap.settings.section import Profile, Section


class IdentitySettings(Section, frozen=True, kw_only=True):
    access_token_minutes: int = 15
    session_days: int = 30
    argon2_time_cost: int = 2
    argon2_memory_kib: int = 19_456
    argon2_parallelism: int = 1
    password_hashing_workers: int = 0
    """Password hashes run at once per process (the rest queue); 0: one per core it may use."""
    password_hashing_queue: int = -1
    """Hashes that may wait for a worker; one more is refused at once with a 503 and Retry-After
    (``HashingPool``). Negative: four per worker (about four hash times of waiting at most)."""

    def resolved(self, profile: Profile, data_path: Path) -> Self:
        workers = self.password_hashing_workers or cores_available()
        queue = self.password_hashing_queue if self.password_hashing_queue >= 0 else 4 * workers
        return msgspec.structs.replace(self, password_hashing_workers=workers, password_hashing_queue=queue)

    def check(self, profile: Profile) -> None:
        self.require_positive(
            "access_token_minutes",
            "session_days",
            "argon2_time_cost",
            "argon2_memory_kib",
            "argon2_parallelism",
            "password_hashing_workers",
        )
