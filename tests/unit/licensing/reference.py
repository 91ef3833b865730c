"""An independent, deliberately plain reading of the documented validation order.

It evaluates every condition on the raw fields (no early exit, none of the license's helper
methods), lists those that hold in the documented order, and answers the first failure, else
the first warning, else VALID. The domain's ``validate`` must agree with it on every state.
"""

from __future__ import annotations

import math
from datetime import datetime
from fractions import Fraction

from devforge.domain.licensing.license import License
from devforge.domain.licensing.validation import ValidationRequest

OVERAGE_FACTOR = {
    "NONE": Fraction(1),
    "ALLOW_1_25X": Fraction(5, 4),
    "ALLOW_1_5X": Fraction(3, 2),
    "ALLOW_2X": Fraction(2),
}


def reference_findings(lic: License | None, req: ValidationRequest, now: datetime) -> list[tuple[str, bool]]:
    """Every (code, valid) that applies, in the documented order."""
    if lic is None:
        return [("NOT_FOUND", False)]
    p = lic.terms.policy
    expired = lic.expires_at is not None and now >= lic.expires_at
    strategy = str(p.expiration_strategy)
    active = [m for m in lic.machines if str(m.status) == "ACTIVE"]
    mine = [m for m in active if m.fingerprint == req.fingerprint]
    limit = lic.terms.overrides.max_machines or p.max_machines
    last_check_in = lic.last_check_in_at or lic.created_at
    granted = set(p.entitlements) | set(lic.terms.extra_entitlements)
    beat = mine[0].last_heartbeat_at if mine else None
    conditions = [
        ("REVOKED", str(lic.status) == "REVOKED", False),
        ("SUSPENDED", str(lic.status) == "SUSPENDED", False),
        ("EXPIRED", expired and strategy == "REVOKE_ACCESS", False),
        ("OVERDUE", p.check_in_interval is not None and now - last_check_in > p.check_in_interval, False),
        (
            "PRODUCT_SCOPE_MISMATCH",
            (req.product_id is not None and req.product_id != p.product_id)
            or (req.product_id is None and p.require_product_scope),
            False,
        ),
        (
            "ENTITLEMENTS_MISSING",
            any(code not in granted for code in req.entitlements)
            or (p.require_entitlements_scope and len(req.entitlements) == 0),
            False,
        ),
        ("FINGERPRINT_SCOPE_REQUIRED", p.require_fingerprint_scope and req.fingerprint is None, False),
        ("NO_MACHINE", len(active) == 0 and (req.fingerprint is not None or p.strict), False),
        ("FINGERPRINT_SCOPE_MISMATCH", req.fingerprint is not None and not mine, False),
        ("HEARTBEAT_NOT_STARTED", p.heartbeat_required and bool(mine) and beat is None, False),
        (
            "HEARTBEAT_DEAD",
            p.heartbeat_required and beat is not None and now - beat > p.heartbeat_interval,
            False,
        ),
        (
            "TOO_MANY_MACHINES",
            limit is not None and len(active) > limit,
            limit is not None and len(active) <= math.floor(OVERAGE_FACTOR[str(p.overage)] * limit),
        ),
        ("EXPIRED", expired, strategy in ("MAINTAIN_ACCESS", "ALLOW_ACCESS")),
    ]
    return [(code, valid) for code, holds, valid in conditions if holds]


def reference_answer(lic: License | None, req: ValidationRequest, now: datetime) -> tuple[str, bool]:
    findings = reference_findings(lic, req, now)
    failures = [f for f in findings if not f[1]]
    warnings = [f for f in findings if f[1]]
    return (failures or warnings or [("VALID", True)])[0]
