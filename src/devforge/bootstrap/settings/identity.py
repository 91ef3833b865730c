"""Identity's settings: sessions, tokens and password hashing."""

from __future__ import annotations

from devforge.bootstrap.settings.section import Profile, Section


class IdentitySettings(Section, frozen=True, kw_only=True):
    access_token_minutes: int = 15
    session_days: int = 30
    argon2_time_cost: int = 2
    argon2_memory_kib: int = 19_456
    argon2_parallelism: int = 1

    def check(self, profile: Profile) -> None:
        self.require_positive("access_token_minutes", "session_days")
