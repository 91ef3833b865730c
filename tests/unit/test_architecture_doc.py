"""architecture.md stays true about what is on disk: every migration revision has its row, and
every context package under domain/ and application/ is in the context map."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "architecture.md").read_text(encoding="utf-8")
SRC = ROOT / "src" / "devforge"


def test_every_migration_revision_is_listed() -> None:
    revisions = sorted(p.name[:4] for p in (SRC / "adapters/persistence/migrations/versions").glob("[0-9]*.py"))
    listed = set(re.findall(r"^\| `(\d{4})` \|", DOC, re.MULTILINE))
    assert len(revisions) >= 20
    assert not set(revisions) - listed, f"architecture.md's migration table misses {sorted(set(revisions) - listed)}"
    gone = sorted(listed - set(revisions))
    assert not gone, f"architecture.md lists revisions that do not exist: {gone}"


def test_every_context_is_in_the_context_map() -> None:
    contexts = {p.name for layer in ("domain", "application") for p in (SRC / layer).iterdir() if p.is_dir()}
    contexts -= {"shared", "common", "__pycache__"}
    mapped = set(re.findall(r"^\| (\w+) \| \*\*built\*\*", DOC, re.MULTILINE))
    assert contexts <= mapped, f"architecture.md's context map misses {sorted(contexts - mapped)} as built"
