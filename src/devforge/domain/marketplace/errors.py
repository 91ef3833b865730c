"""Marketplace rule violations, named ``<Noun><Problem>``."""

from devforge.domain.shared.errors import RuleViolated


class VersionInvalid(RuleViolated):
    """Not a semantic version (semver 2.0), or one the registry reserves."""

    code = "version_invalid"


class EngineRangeInvalid(RuleViolated):
    code = "engine_range_invalid"


class LicenseInvalid(RuleViolated):
    """Not an SPDX license expression we recognise, ``SEE LICENSE IN <file>`` or ``UNLICENSED``."""

    code = "license_invalid"


class ArchiveUnsafe(RuleViolated):
    """The archive broke an archive-safety rule, so its files are not read."""

    code = "archive_unsafe"
