"""Errors the licensing use cases and their adapters raise besides the domain's own."""

from devforge.domain.shared.errors import Conflict, NotFound


class LicenseChangedConcurrently(Conflict):
    """Another transaction stored the license after this one read it; the caller may retry."""

    code = "LICENSE_CHANGED_CONCURRENTLY"


class ProductCodeTaken(Conflict):
    code = "PRODUCT_CODE_TAKEN"


class ProductNotFound(NotFound):
    code = "PRODUCT_NOT_FOUND"


class PolicyNotFound(NotFound):
    code = "POLICY_NOT_FOUND"
