"""The marketplace's settings: package limits, the review checks, downloads, the malware
scanner, DNS lookups for domain verification and the registry's signing key ring."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Self

import msgspec

from devforge.bootstrap.settings.section import Profile, Section, SettingsError
from devforge.domain.marketplace.archive_safety import ArchiveLimits


class MarketplaceSettings(Section, frozen=True, kw_only=True):
    max_package_bytes: int = 52_428_800
    marketplace_max_unpacked_bytes: int = 268_435_456
    """What a package's files may unpack to together (256 MiB). Editor-sized extensions (VS Code's
    largest popular ones unpack to 100-200 MB; monaco-editor's npm package to about 80 MB) pass;
    zip bombs are still stopped by the compression ratio, the entry count and the nesting depth,
    which do not move with this, and every nested file together may unpack to as much once more."""
    marketplace_max_entry_bytes: int = 67_108_864
    """What one file may unpack to (64 MiB): a bundled language server or native binary fits. A
    file a check reads whole is held in memory once, so this bounds a review's largest buffer."""
    marketplace_checks_disabled: list[str] = msgspec.field(default_factory=list)
    marketplace_checks_not_enforced: list[str] = msgspec.field(default_factory=list)
    marketplace_checks_not_required: list[str] = msgspec.field(default_factory=list)
    marketplace_blocked_sha256: list[str] = msgspec.field(default_factory=list)
    marketplace_auto_approve_verified: bool = True
    """Approve a verified publisher's passed versions without a reviewer, once the publisher is past
    its probation and only when no check found anything of medium severity or higher."""
    marketplace_probation_approved_versions: int = 3
    """Versions of a publisher a reviewer approves before its releases may be approved automatically."""
    marketplace_probation_days: float = 30.0
    """How old a publisher is before its releases may be approved automatically."""
    marketplace_min_coverage_percent: float = 60.0
    marketplace_coverage_report_required: bool = False
    marketplace_lint_error_budget: int = 0
    marketplace_lint_warning_budget: int = 50
    marketplace_review_concurrency: int = 1
    """Package reviews one process runs at once; more wait their turn. A review is CPU work
    (unpacking, scanning) holding a file of the package in memory at a time: 1 leaves the second
    core of a 2-core machine to the requests; raise it with the cores."""
    marketplace_upload_streams: int = 2
    """Package uploads one process reads from their clients at once; more wait their turn with
    their body unread in the socket. Reading a body is event-loop work: a bound keeps searches
    near their idle latency while large packages arrive (application/marketplace/upload_streams.py)."""
    marketplace_review_cpus: int = 0
    """CPUs the review processes run on, the last ones of the process's: 0 means all but one
    when there are more than one (that one is left to the requests), else the one there is."""
    marketplace_search_cache_rows: int = 25_000
    """Listings the in-memory search index keeps across its cached word matches (about 40 bytes
    each); a word not cached costs a union of its postings, tenths of a millisecond."""
    marketplace_search_cache_pages: int = 15_000
    """Result pages the in-memory search index keeps (about 450 bytes each with its key: a string
    and one bytes object), least recently used dropped first; any listing change drops them all."""
    marketplace_review_processes: bool = True
    """Run a review's CPU work (unpacking, hashing, the code analyser, YARA) in child processes, one
    per review slot, started at the first review: it then never holds the GIL the process's event
    loop needs (the embedded API serves requests from the process that reviews). False: in a thread
    of the process itself (no child processes; requests wait behind the checks)."""
    marketplace_publishers_per_day: int = 5
    """Publishers one account registers in a day (administrators are not held to the quotas)."""
    marketplace_extensions_per_day: int = 30
    """Extensions one account creates in a day."""
    marketplace_versions_per_hour: int = 30
    """Versions one account uploads in an hour."""
    marketplace_downloads_per_minute: int = 60
    """Downloads one address asks for in a minute (signed in or not), apart from the API's limit."""
    marketplace_install_tokens_per_day: int = 5
    """Install tokens one address is issued in a day: how many installs one address can count as."""
    marketplace_rating_min_download_hours: float = 24.0
    """How long after their first signed-in download a user may rate the extension (0: at once)."""
    download_link_minutes: int = 5
    malware_scanner: Literal["auto", "builtin", "clamd"] = "auto"
    """``auto``: clamd in production, the built-in checks in embedded."""
    clamd_address: str = "127.0.0.1:3310"
    """``host:port``, or a unix socket as ``unix:/path`` or ``/path``. Whether clamd answers there
    is checked by the scans, not at start."""
    clamd_timeout_seconds: float = 60.0
    dns_resolver: Literal["auto", "static", "dnspython"] = "auto"
    """``auto``: dnspython in production or when nameservers are set, else the static table."""
    dns_nameservers: list[str] = msgspec.field(default_factory=list)
    dns_timeout_seconds: float = 5.0
    registry_keys_dir: str = ""
    """The artifact signing key ring, apart from licensing's; empty: ``<data dir>/registry_keys``."""

    @property
    def archive_limits(self) -> ArchiveLimits:
        return ArchiveLimits(
            max_total_size=self.marketplace_max_unpacked_bytes, max_entry_size=self.marketplace_max_entry_bytes
        )

    @property
    def registry_keys_path(self) -> Path:
        return Path(self.registry_keys_dir)

    def resolved(self, profile: Profile, data_path: Path) -> Self:
        production = profile == "production"
        scanner = self.malware_scanner if self.malware_scanner != "auto" else "clamd" if production else "builtin"
        resolver = self.dns_resolver
        if resolver == "auto":
            resolver = "dnspython" if production or self.dns_nameservers else "static"
        keys = self.registry_keys_dir or str(data_path / "registry_keys")
        return msgspec.structs.replace(self, malware_scanner=scanner, dns_resolver=resolver, registry_keys_dir=keys)

    def check(self, profile: Profile) -> None:
        self.require_positive(
            "max_package_bytes", "download_link_minutes", "clamd_timeout_seconds", "dns_timeout_seconds"
        )
        if not 0 <= self.marketplace_min_coverage_percent <= 100:
            raise SettingsError("DEVFORGE_MARKETPLACE_MIN_COVERAGE_PERCENT must be between 0 and 100")
        self.require_positive("marketplace_max_unpacked_bytes", "marketplace_max_entry_bytes")
        if self.marketplace_max_entry_bytes > self.marketplace_max_unpacked_bytes:
            raise SettingsError(
                "DEVFORGE_MARKETPLACE_MAX_ENTRY_BYTES must not exceed DEVFORGE_MARKETPLACE_MAX_UNPACKED_BYTES"
            )
        self.require_not_negative(
            "marketplace_lint_error_budget",
            "marketplace_lint_warning_budget",
            "marketplace_rating_min_download_hours",
            "marketplace_probation_approved_versions",
            "marketplace_probation_days",
            "marketplace_review_cpus",
        )
        self.require_positive("marketplace_review_concurrency")
        self.require_positive("marketplace_upload_streams")
        self.require_positive("marketplace_search_cache_rows")
        self.require_positive("marketplace_search_cache_pages")
        self.require_positive(
            "marketplace_publishers_per_day",
            "marketplace_extensions_per_day",
            "marketplace_versions_per_hour",
            "marketplace_downloads_per_minute",
            "marketplace_install_tokens_per_day",
        )
        if not _is_clamd_address(self.clamd_address):
            raise SettingsError(
                f"DEVFORGE_CLAMD_ADDRESS={self.clamd_address!r} is neither host:port nor a unix socket path"
            )


def _is_clamd_address(address: str) -> bool:
    if address.startswith(("unix:", "/")):
        return len(address.removeprefix("unix:")) > 1
    host, _, port = address.rpartition(":")
    return bool(host) and port.isdigit() and 0 < int(port) < 65536
