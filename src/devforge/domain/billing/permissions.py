"""Billing's permissions (which role holds them is the composition root's role table)."""

from __future__ import annotations

from devforge.domain.shared.permissions import Permission


class BillingPermission:
    ORDERS_PLACE = Permission("orders:place", on_api_keys=True)
    """Check out, and see one's own orders."""
    INVOICES_READ_OWN = Permission("invoices:read_own", on_api_keys=True)
    """One's own invoices and credit notes, and their PDFs."""
    REFUNDS_REQUEST = Permission("refunds:request")
    """Ask for one's own order back within its refund window."""
    ADMIN = Permission("billing:admin", administrative=True)
    """Reach every order, invoice and credit note, and refund past the refund window."""
    EXTENSIONS_SELL = Permission("extensions:sell")
    """Price the extensions of a publisher one owns (a session, never an API key: it sets what
    customers pay and what the publisher is paid)."""
    FINANCE_READ = Permission("finance:read", administrative=True)
    """The platform's financial reports (revenue, refunds, fees, tax, payables, reconciliation) and
    its tax reports: every seller's and buyer's figures, so administrative (two-factor)."""
