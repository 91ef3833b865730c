"""How the marketplace reviews: which checks run with which switches, and whether a verified
publisher's passed versions are approved without a reviewer (only past its ``probation``, and
only with no finding of medium severity or higher: ``domain/marketplace/approval.py``).

Checks are named; a name the settings do not mention keeps the strictest switches (enabled,
enforced, required). The shell builds this from settings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from devforge.domain.marketplace.approval import Probation
from devforge.domain.marketplace.archive_safety import DEFAULT_LIMITS, ArchiveLimits
from devforge.domain.marketplace.code_quality import CodeQualityCheck
from devforge.domain.marketplace.review import CheckSettings

VALIDATION_CHECKS = ("archive_safety", "manifest", "upload_slot", "documentation", "code_quality")
SCANNING_CHECKS = ("secrets", "hash_blocklist", "suspicious_code", "malware")
ALL_CHECKS = VALIDATION_CHECKS + SCANNING_CHECKS


@dataclass(frozen=True)
class ReviewPolicy:
    switches: dict[str, CheckSettings] = field(default_factory=dict)
    auto_approve_verified: bool = True
    blocked_sha256: tuple[str, ...] = ()
    code_quality: CodeQualityCheck = field(default_factory=CodeQualityCheck)  # its thresholds
    probation: Probation = field(default_factory=Probation)
    limits: ArchiveLimits = DEFAULT_LIMITS  # what a package may unpack to

    @classmethod
    def of(
        cls,
        *,
        disabled: Iterable[str] = (),
        not_enforced: Iterable[str] = (),
        not_required: Iterable[str] = (),
        auto_approve_verified: bool = True,
        blocked_sha256: Iterable[str] = (),
        code_quality: CodeQualityCheck | None = None,
        probation: Probation | None = None,
        limits: ArchiveLimits = DEFAULT_LIMITS,
    ) -> ReviewPolicy:
        off, advisory, optional = set(disabled), set(not_enforced), set(not_required)
        unknown = sorted((off | advisory | optional) - set(ALL_CHECKS))
        if unknown:
            raise ValueError(f"Unknown review check {unknown[0]!r}; known: {', '.join(ALL_CHECKS)}.")
        switches = {
            name: CheckSettings(enabled=name not in off, enforced=name not in advisory, required=name not in optional)
            for name in ALL_CHECKS
        }
        quality = code_quality or CodeQualityCheck()
        blocked = tuple(blocked_sha256)
        return cls(switches, auto_approve_verified, blocked, quality, probation or Probation(), limits)

    def settings_of(self, check: str) -> CheckSettings:
        return self.switches.get(check, CheckSettings())

    def enabled(self, check: str) -> bool:
        return self.settings_of(check).enabled
