"""Name squatting: a new publisher or extension name may not sit one edit away from a name the
registry already holds (``acme`` blocks ``acne``, ``acme1`` and ``acm``). Names compare without
regard to letter case, so ``Acme`` is ``acme``; an exact match counts too."""

from __future__ import annotations

from collections.abc import Iterable

SQUAT_DISTANCE = 1


def edit_distance(left: str, right: str, *, limit: int = SQUAT_DISTANCE) -> int:
    """Levenshtein distance, exact up to ``limit`` (anything larger answers ``limit + 1``)."""
    if abs(len(left) - len(right)) > limit:
        return limit + 1
    previous = list(range(len(right) + 1))
    for i, a in enumerate(left, start=1):
        current = [i]
        for j, b in enumerate(right, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return min(previous[-1], limit + 1)


def colliding_name(candidate: str, existing: Iterable[str]) -> str | None:
    """The first existing name (in sorted order) within ``SQUAT_DISTANCE`` of the candidate."""
    key = _key(candidate)
    for name in sorted({name for name in existing if name}):
        if edit_distance(key, _key(name)) <= SQUAT_DISTANCE:
            return name
    return None


def _key(name: str) -> str:
    return " ".join(name.casefold().split())
