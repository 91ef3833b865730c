"""The statuses bench/schemathesis.toml declares for refusals no schema can state (a cursor no page
answered, a wrong password, a return URL off the allowed origins, ...) are documented on their
operations, and only add to schemathesis' own list."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FUZZ_CONFIG = Path(__file__).resolve().parents[3] / "bench" / "schemathesis.toml"


def declared_statuses() -> Iterator[tuple[str, str, int]]:
    default = {"2xx", "3xx", 401, 403, 404, 409, 429, "5xx"}
    for entry in tomllib.loads(FUZZ_CONFIG.read_text())["operations"]:
        names = entry["include-name"]
        statuses = entry["checks"]["positive_data_acceptance"]["expected-statuses"]
        assert default <= set(statuses), "an entry adds statuses, it never drops one"
        for name in [names] if isinstance(names, str) else names:
            method, path = name.split(" ", 1)
            yield from ((method.lower(), path, status) for status in statuses if status not in default)


def test_every_status_the_fuzz_declares_is_documented_on_its_operation(document: dict[str, Any]) -> None:
    declared = list(declared_statuses())
    assert len(declared) >= 10
    for method, path, status in declared:
        assert str(status) in document["paths"][path][method]["responses"], (method, path, status)
