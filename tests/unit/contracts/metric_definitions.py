"""Every metric definition of every context, as stored in ``metric_definitions.json``: a figure
quoted once can be recomputed as it was, so a stored (key, version) never changes. Run
``python -m tests.unit.contracts.metric_definitions`` to add new versions (it never rewrites one)."""

from __future__ import annotations

import json
from pathlib import Path

from devforge.bootstrap.contexts import CONTEXTS

SNAPSHOT = Path(__file__).with_name("metric_definitions.json")
Fingerprints = dict[str, dict[str, dict[str, object]]]  # key -> version -> what it says and computes


def live() -> Fingerprints:
    found: Fingerprints = {}
    for metric in CONTEXTS.metric_catalogue().all():
        d = metric.definition
        found.setdefault(d.key, {})[str(d.version)] = {
            "title": d.title,
            "definition": d.definition,
            "unit": d.unit.value,
            "scope": d.scope.value,
            "intervals": sorted(d.intervals),
            "filters": sorted(d.filters),
            "breakdowns": sorted(d.breakdowns),
            "computation": metric.computation.shape,
        }
    return found


def stored() -> Fingerprints:
    return json.loads(SNAPSHOT.read_text()) if SNAPSHOT.exists() else {}  # type: ignore[no-any-return]


def changes(before: Fingerprints, now: Fingerprints) -> list[str]:
    said = []
    for key in sorted(before.keys() | now.keys()):
        for version in sorted(before.get(key, {}).keys() | now.get(key, {}).keys(), key=int):
            was, is_ = before.get(key, {}).get(version), now.get(key, {}).get(version)
            if was is None:
                said.append(f"{key} v{version} is new: add it to {SNAPSHOT.name} (python -m {__name__})")
            elif is_ is None:
                said.append(f"{key} v{version} is gone: old versions stay readable, keep it")
            elif was != is_:
                parts = sorted(part for part in was.keys() | is_.keys() if was.get(part) != is_.get(part))
                said.append(
                    f"{key} v{version} changed ({', '.join(parts)}): restore it and add the change as the next "
                    "version beside it (a definition never changes once stored)"
                )
    return said


if __name__ == "__main__":
    merged = live() | {key: {**live().get(key, {}), **versions} for key, versions in stored().items()}
    SNAPSHOT.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")
