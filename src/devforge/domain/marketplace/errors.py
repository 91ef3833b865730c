"""Marketplace rule violations, named ``<Noun><Problem>``."""

from devforge.domain.shared.errors import Conflict, NotFound, NotPermitted, RuleViolated, TooLarge


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


class PublisherInvalid(RuleViolated):
    code = "publisher_invalid"


class ExtensionInvalid(RuleViolated):
    code = "extension_invalid"


class NameSquatted(Conflict):
    """The name looks like a name already in the registry (the same confusable skeleton, or one
    edit away from one), or is reserved."""

    code = "name_squatted"

    def __init__(self, message: str, *, collides_with: str, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.collides_with = collides_with


def name_squatted(scope: str, name: str, taken: str, field: str) -> NameSquatted:
    """Refused because ``taken`` (another holder's name, in the publisher or extension scope) looks alike."""
    return NameSquatted(
        f"'{name}' is too close to the existing {scope} name '{taken}'.", collides_with=taken, field=field
    )


class PublisherNotFound(NotFound):
    code = "publisher_not_found"


class ExtensionNotFound(NotFound):
    code = "extension_not_found"


class VersionNotFound(NotFound):
    code = "version_not_found"


class VersionSlotTaken(Conflict):
    """(extension, version, target platform) was used once; it is never used again, even after deletion."""

    code = "version_slot_taken"


class ReviewTransitionInvalid(Conflict):
    code = "review_transition_invalid"


class DomainVerificationFailed(RuleViolated):
    code = "domain_verification_failed"


class PackageTooLarge(TooLarge):
    """The upload passed the package size cap."""

    code = "package_too_large"


class MarketplaceActionRefused(NotPermitted):
    code = "marketplace_action_refused"


class UnpublishRefused(Conflict):
    """Past the 72 hours after publication, or other extensions still depend on it."""

    code = "unpublish_refused"

    def __init__(self, message: str, *, dependents: tuple[str, ...] = (), field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.dependents = dependents


class ExtensionHasDependents(Conflict):
    """Other live extensions' published versions declare this one in ``extensionDependencies``."""

    code = "extension_has_dependents"


class DistTagInvalid(RuleViolated):
    code = "dist_tag_invalid"


class DistTagReserved(Conflict):
    """``latest`` and ``pre-release`` move by themselves; nobody sets or removes them."""

    code = "dist_tag_reserved"


class DistTagNotFound(NotFound):
    code = "dist_tag_not_found"
