"""Licensing's settings: the signing key ring and the validation counters."""

from __future__ import annotations

from pathlib import Path
from typing import Self

import msgspec

from devforge.bootstrap.settings.section import Profile, Section


class LicensingSettings(Section, frozen=True, kw_only=True):
    license_keys_dir: str = ""
    """The signing key ring; empty: ``<data dir>/license_keys``."""
    validation_flush_seconds: float = 5.0
    """How often each API process writes the license validations it counted in memory."""

    @property
    def license_keys_path(self) -> Path:
        return Path(self.license_keys_dir)

    def resolved(self, profile: Profile, data_path: Path) -> Self:
        if self.license_keys_dir:
            return self
        return msgspec.structs.replace(self, license_keys_dir=str(data_path / "license_keys"))

    def check(self, profile: Profile) -> None:
        self.require_positive("validation_flush_seconds")
