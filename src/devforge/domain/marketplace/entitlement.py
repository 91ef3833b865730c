"""Paid extensions: an extension linked to a licensing product is paid, and its archive goes only
to a signed-in user holding a usable license of that product (active, not expired). The
marketplace knows the product by id only; licensing answers whether a user holds it."""

from __future__ import annotations

from uuid import UUID

from devforge.domain.shared.errors import NotAuthenticated, NotPermitted, RuleViolated


class SignInRequired(NotAuthenticated):
    code = "sign_in_required"


class EntitlementRequired(NotPermitted):
    """The caller holds no active, unexpired license of the extension's product."""

    code = "entitlement_required"

    def __init__(self, product_id: UUID) -> None:
        super().__init__(f"This extension is paid: downloading it needs an active license of product {product_id}.")
        self.product_id = product_id


class LicenseProductInvalid(RuleViolated):
    """No such licensing product, or it belongs to someone else (the same answer for both)."""

    code = "license_product_invalid"


def ensure_entitled(product_id: UUID | None, user_id: UUID | None, holds: bool) -> None:
    """A free extension (no product) downloads for anyone; a paid one needs a holder."""
    if product_id is None:
        return
    if user_id is None:
        raise SignInRequired(f"This extension is paid: sign in with an account holding a license of {product_id}.")
    if not holds:
        raise EntitlementRequired(product_id)
