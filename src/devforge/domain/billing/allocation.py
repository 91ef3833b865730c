"""Spreading a total over parts so that no minor unit is lost or invented.

``allocate`` uses the largest-remainder method: each part first gets the floor of its exact share
``total * weight / sum(weights)``; the minor units left over (fewer than the number of parts) go
one each to the parts with the largest remainders, ties going to the earlier position. Hence:

- the parts always sum to the total exactly;
- each part differs from its exact share by less than one minor unit (a zero weight gets zero);
- the result depends only on the inputs (no randomness, no ordering by amount).

A negative total is spread as the negation of its magnitude's spread, so a credit mirrors a
charge. Weights are non-negative ``int``s; all-zero weights can only spread a zero total.
No rounding happens here: ``rounding`` rounds a document once, and this splits what it rounded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from devforge.domain.billing.errors import AllocationWeightsInvalid, RevenueShareInvalid
from devforge.domain.billing.money import Money
from devforge.domain.billing.rate import BASIS_POINTS_PER_UNIT


def _check_weights(weights: Sequence[int]) -> None:
    if not weights:
        raise AllocationWeightsInvalid("Allocate over at least one part.", field="weights")
    for weight in weights:
        if type(weight) is not int:
            raise TypeError(f"Weights are ints, not {type(weight).__name__}.")
        if weight < 0:
            raise AllocationWeightsInvalid("Weights cannot be negative.", field="weights")


def allocate(total: Money, weights: Sequence[int]) -> list[Money]:
    """Split ``total`` in proportion to ``weights``; the parts sum to ``total`` exactly."""
    _check_weights(weights)
    weight_sum = sum(weights)
    if weight_sum == 0:
        if not total.is_zero:
            raise AllocationWeightsInvalid("Cannot spread an amount over weights that are all zero.", field="weights")
        return [total for _ in weights]
    magnitude = abs(total.amount_minor)
    shares = [divmod(magnitude * weight, weight_sum) for weight in weights]
    parts = [floor for floor, _ in shares]
    left_over = magnitude - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda index: (-shares[index][1], index))
    for index in by_remainder[:left_over]:
        parts[index] += 1
    sign = -1 if total.is_negative else 1
    return [Money(sign * part, total.currency) for part in parts]


class RevenueSplit(NamedTuple):
    developer: Money
    platform: Money


def split_revenue(total: Money, developer_share_bp: int = 7000) -> RevenueSplit:
    """The marketplace split (70/30 by default) of ``total``; the two parts sum to ``total``.

    A minor unit that cannot be split evenly goes to the party with the larger remainder, and on a
    tie to the developer."""
    if type(developer_share_bp) is not int:
        raise TypeError(f"The developer's share is int basis points, not {type(developer_share_bp).__name__}.")
    if not 0 <= developer_share_bp <= BASIS_POINTS_PER_UNIT:
        raise RevenueShareInvalid("The developer's share is between 0 and 10000 basis points.", field="share")
    developer, platform = allocate(total, [developer_share_bp, BASIS_POINTS_PER_UNIT - developer_share_bp])
    return RevenueSplit(developer=developer, platform=platform)
