"""Errors of invoices, credit notes and refunds, named ``<Noun><Problem>``."""

from devforge.domain.shared.errors import Conflict, NotFound, NotPermitted, RuleViolated


class InvoiceImmutable(Conflict):
    """A finalized invoice is immutable: its lines, parties, number and totals never change."""

    code = "invoice_immutable"


class InvoiceStateInvalid(Conflict):
    """The invoice is not in a state that allows this step (paying a draft, voiding a paid one...)."""

    code = "invoice_state_invalid"


class InvoiceNotFound(NotFound):
    code = "invoice_not_found"


class CreditNoteNotFound(NotFound):
    code = "credit_note_not_found"


class DocumentNumberMalformed(RuleViolated):
    code = "document_number_malformed"


class InvoiceLineInvalid(RuleViolated):
    code = "invoice_line_invalid"


class RefundWindowClosed(NotPermitted):
    """A customer may ask for a refund only within the product's refund window; an admin any time."""

    code = "refund_window_closed"


class InvoiceAlreadyExists(Conflict):
    """An order has one invoice; a second issue of the same order is refused by the store."""

    code = "invoice_already_exists"


class InvoiceChangedConcurrently(Conflict):
    code = "invoice_changed_concurrently"


class OrderNotInvoiced(NotFound):
    """No invoice for this order (not paid yet, or not someone the caller may see)."""

    code = "order_not_found"
