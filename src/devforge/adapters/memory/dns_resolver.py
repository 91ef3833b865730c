from __future__ import annotations

from collections.abc import Iterable, Mapping

from devforge.application.marketplace.dns_resolver import DnsLookupFailed


class StaticTxtResolver:
    """TXT records from a table (embedded profile and tests). Names compare without letter case
    or a trailing dot; a name marked failing raises as an unanswered lookup would."""

    def __init__(self, records: Mapping[str, Iterable[str]] | None = None) -> None:
        self._records = {_key(name): list(values) for name, values in (records or {}).items()}
        self._failing: set[str] = set()

    def set(self, name: str, records: Iterable[str]) -> None:
        self._records[_key(name)] = list(records)

    def fail(self, name: str) -> None:
        self._failing.add(_key(name))

    async def txt_records(self, name: str) -> list[str]:
        if _key(name) in self._failing:
            raise DnsLookupFailed(name, "no answer (simulated)")
        return list(self._records.get(_key(name), []))


def _key(name: str) -> str:
    return name.strip().rstrip(".").lower()
