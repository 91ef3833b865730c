"""Billing rule violations, named ``<Noun><Problem>``; ``field`` names the input at fault."""

from devforge.domain.shared.errors import Conflict, NotFound, NotPermitted, RuleViolated


class UnknownCurrency(RuleViolated):
    """Not an ISO 4217 code this service handles."""

    code = "unknown_currency"


class CurrencyMismatch(RuleViolated):
    """Amounts in different currencies were added, compared or put on one document."""

    code = "currency_mismatch"


class AmountMalformed(RuleViolated):
    code = "amount_malformed"


class AmountNotRepresentable(RuleViolated):
    """The amount needs a finer unit than the currency (or the payment provider) allows."""

    code = "amount_not_representable"


class RateInvalid(RuleViolated):
    code = "rate_invalid"


class AllocationWeightsInvalid(RuleViolated):
    code = "allocation_weights_invalid"


class RevenueShareInvalid(RuleViolated):
    code = "revenue_share_invalid"


class TaxAmountsInconsistent(RuleViolated):
    """A (net, tax, gross) triple whose gross is not net + tax, or that mixes currencies."""

    code = "tax_amounts_inconsistent"


class DocumentLinesMissing(RuleViolated):
    code = "document_lines_missing"


class LineAmountNegative(RuleViolated):
    """Invoice lines are non-negative; a discount lowers a line's price before it gets here."""

    code = "line_amount_negative"


class RefundAmountInvalid(RuleViolated):
    code = "refund_amount_invalid"


class RefundExceedsRemaining(RuleViolated):
    """More was asked back than the invoice still holds after earlier credit notes."""

    code = "refund_exceeds_remaining"


class CreditExceedsInvoice(RuleViolated):
    """Earlier credit notes already credit more than a line of the invoice: the history is wrong."""

    code = "credit_exceeds_invoice"


# Catalog, orders, subscriptions and tax -----------------------------------------------------


class ProductCodeInvalid(RuleViolated):
    code = "product_code_invalid"


class PriceInvalid(RuleViolated):
    code = "price_invalid"


class QuantityInvalid(RuleViolated):
    code = "quantity_invalid"


class VatIdMalformed(RuleViolated):
    code = "vat_id_malformed"


class VatIdInvalid(RuleViolated):
    """VIES answered that the VAT id is not registered."""

    code = "vat_id_invalid"


class CountryUnknown(RuleViolated):
    """A country (ISO 3166-1 alpha-2) or US state we hold no tax rate for."""

    code = "country_unknown"


class PriceNotFound(NotFound):
    """The product is not sold in that currency or at that interval."""

    code = "price_not_found"


class CatalogProductNotFound(NotFound):
    code = "product_not_found"


class OrderNotFound(NotFound):
    code = "order_not_found"


class ExtensionNotForSale(NotFound):
    """No extension of the caller's publisher has this id (someone else's answers the same)."""

    code = "extension_not_found"


class ExtensionNotLicensed(RuleViolated):
    """A free extension (no licensing product linked) has nothing to sell."""

    code = "extension_not_licensed"


class PolicyNotOfProduct(RuleViolated):
    """The licensing policy does not issue licenses of the extension's licensing product."""

    code = "policy_not_of_product"


class CartInvalid(RuleViolated):
    """Lines that cannot be charged together (mixed tax treatment or intervals, a product twice)."""

    code = "cart_invalid"


class CatalogProductCodeTaken(Conflict):
    code = "product_code_taken"


class OrderChangedConcurrently(Conflict):
    code = "order_changed_concurrently"


class OrderNotPayable(Conflict):
    """Checkout was asked for an order that is already paid, failed for good or cancelled."""

    code = "order_not_payable"


class PaymentAmountMismatch(RuleViolated):
    """The provider reports a payment that is not the order's total: nothing is fulfilled."""

    code = "payment_amount_mismatch"


class EmailNotVerified(NotPermitted):
    """Buying needs a verified email: the receipt and the license key go there."""

    code = "email_not_verified"
