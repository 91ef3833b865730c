"""The catalog's domain rules: a renamed product keeps its code, a revised policy is held to
every rule of a new one and stays its product's, and only defined entitlements are granted."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from devforge.domain.licensing.entitlement import Entitlement, ensure_defined
from devforge.domain.licensing.errors import EntitlementCodeInvalid, EntitlementUndefined, PolicyInvalid, ProductInvalid
from devforge.domain.licensing.product import Product
from tests.unit.licensing.builders import NOW, PRODUCT_ID, policy


def test_a_renamed_product_keeps_its_id_code_and_owner() -> None:
    product = Product(id=uuid4(), owner_id=uuid4(), code="editor", name="Editor", created_at=NOW)
    renamed = product.renamed("  Editor Pro ")
    assert (renamed.id, renamed.code, renamed.owner_id, renamed.name) == (
        product.id,
        "editor",
        product.owner_id,
        "Editor Pro",
    )
    with pytest.raises(ProductInvalid):
        product.renamed("x" * 101)


def test_a_revised_policy_obeys_the_rules_of_a_new_one() -> None:
    team = policy(floating=True, max_machines=3)
    revised = team.revised(max_machines=None, duration=timedelta(days=30), entitlements={"AI"})
    assert (revised.id, revised.max_machines, revised.entitlements) == (team.id, None, {"ai"})
    assert team.max_machines == 3  # the original is untouched: licenses hold snapshots like it
    for changes, field in [
        ({"floating": False}, "max_machines"),
        ({"heartbeat_interval": timedelta(seconds=59)}, "heartbeat_interval"),
        ({"id": uuid4()}, "id"),
        ({"product_id": uuid4()}, "product_id"),
        ({"colour": "red"}, "colour"),
    ]:
        with pytest.raises(PolicyInvalid) as refused:
            team.revised(**changes)
        assert refused.value.field == field


def test_only_entitlements_the_product_defines_are_granted() -> None:
    catalog = [
        Entitlement(id=uuid4(), product_id=PRODUCT_ID, code=code, name=code, created_at=NOW) for code in ("ai", "sync")
    ]
    ensure_defined({"AI", "sync"}, catalog)
    with pytest.raises(EntitlementUndefined) as refused:
        ensure_defined({"ai", "beta", "alpha"}, catalog)
    assert refused.value.field == "entitlements" and "alpha, beta" in refused.value.message
    with pytest.raises(EntitlementCodeInvalid) as malformed:
        Entitlement(id=uuid4(), product_id=PRODUCT_ID, code="no spaces", name="x", created_at=NOW)
    assert malformed.value.field == "code"
