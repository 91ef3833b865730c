"""Errors the licensing use cases and their adapters raise besides the domain's own."""

from devforge.domain.shared.errors import Conflict, NotFound, RuleViolated


class AccountNotFound(RuleViolated):
    """A license is issued to an account that exists; the id given names none."""

    code = "ACCOUNT_NOT_FOUND"


class LicenseChangedConcurrently(Conflict):
    """Another transaction stored the license after this one read it; the caller may retry."""

    code = "LICENSE_CHANGED_CONCURRENTLY"


class ProductCodeTaken(Conflict):
    code = "PRODUCT_CODE_TAKEN"


class ProductNotFound(NotFound):
    code = "PRODUCT_NOT_FOUND"


class PolicyNotFound(NotFound):
    code = "POLICY_NOT_FOUND"


class ProductInUse(Conflict):
    """A product with policies or licenses stays: its licenses' customers still depend on it."""

    code = "PRODUCT_IN_USE"


class PolicyInUse(Conflict):
    """A policy licenses were issued from stays (they point to it); edit it or issue from another."""

    code = "POLICY_IN_USE"


class EntitlementNotFound(NotFound):
    code = "ENTITLEMENT_NOT_FOUND"


class EntitlementCodeTaken(Conflict):
    code = "ENTITLEMENT_CODE_TAKEN"


class EntitlementInUse(Conflict):
    """A policy of the product still lists the entitlement's code."""

    code = "ENTITLEMENT_IN_USE"


class LicensesNotIssuedYet(Exception):
    """An order's licenses are to be taken back before they were issued: raised so the delivery
    is retried once the issuing consumer has run."""
