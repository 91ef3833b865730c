"""Tax profile and tax report rule violations (``field`` names the input at fault)."""

from devforge.domain.shared.errors import NotFound, RuleViolated


class TinInvalid(RuleViolated):
    """Not a TIN the IRS issues: the message never repeats the digits given."""

    code = "tin_invalid"


class TaxProfileInvalid(RuleViolated):
    code = "tax_profile_invalid"


class PayeeNotFound(NotFound):
    """No publisher the caller owns has this id (someone else's answers the same)."""

    code = "publisher_not_found"


class TaxProfileNotFound(NotFound):
    code = "tax_profile_not_found"


class TaxYearUnknown(NotFound):
    """No reporting thresholds are on file for this tax year."""

    code = "tax_year_unknown"


class ServicePaymentInvalid(RuleViolated):
    code = "service_payment_invalid"
