"""Reading the reports a package ships about itself: coverage (Istanbul json-summary, Cobertura XML)
and lint (ESLint's JSON formatter). Anything these readers cannot trust raises ``ReportUnreadable``.

XML is parsed with expat, which refuses any DOCTYPE before reading it: no entity is ever declared,
so none is expanded or fetched, and parsing stops at the root element. JSON refuses NaN and
Infinity; nesting too deep to parse is unreadable rather than a crash.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from typing import Any
from xml.parsers import expat

MAX_RULE_CHARACTERS = 80


class ReportUnreadable(Exception):
    """Why a report could not be read; the text completes "The report ... cannot be read: "."""


def line_coverage(path: str, data: bytes) -> float:
    """The report's line coverage in percent (0-100)."""
    if path.casefold().endswith(".xml"):
        rate = _number(cobertura_root(data).get("line-rate"), "its root has no numeric line-rate")
        if not 0 <= rate <= 1:
            raise ReportUnreadable("its line-rate is not between 0 and 1")
        return round(rate * 100, 4)
    lines: object = _json(data)
    for key in ("total", "lines", "pct"):
        lines = lines.get(key) if isinstance(lines, dict) else None
    pct = _number(lines, "it has no numeric total.lines.pct")
    if not 0 <= pct <= 100:
        raise ReportUnreadable("its total.lines.pct is not between 0 and 100")
    return pct


def lint_counts(data: bytes) -> tuple[int, int, Counter[str]]:
    """Errors, warnings, and how many messages each rule raised."""
    entries = _json(data)
    if not isinstance(entries, list) or not all(
        isinstance(entry, dict) and isinstance(entry.get("messages"), list) for entry in entries
    ):
        raise ReportUnreadable("it is not ESLint's JSON output (a list of files with their messages)")
    errors = warnings = 0
    rules: Counter[str] = Counter()
    for message in (message for entry in entries for message in entry["messages"] if isinstance(message, dict)):
        severity, rule = message.get("severity"), message.get("ruleId")
        if severity not in (1, 2) or isinstance(severity, bool):
            continue
        errors, warnings = (errors + 1, warnings) if severity == 2 else (errors, warnings + 1)
        rules[rule[:MAX_RULE_CHARACTERS] if isinstance(rule, str) and rule else "(no rule)"] += 1
    return errors, warnings, rules


def cobertura_root(data: bytes) -> dict[str, str]:
    """The attributes of a Cobertura ``<coverage>`` root; parsing stops there."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    found: list[tuple[str, dict[str, str]]] = []

    def refuse(*_: object) -> None:
        raise ReportUnreadable("it declares a DOCTYPE or an entity, which coverage reports may not")

    def root(tag: str, attributes: dict[str, str]) -> None:
        found.append((tag, attributes))
        raise _RootRead

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = root
    try:
        parser.Parse(data, True)
    except _RootRead:
        pass
    except expat.ExpatError as error:
        raise ReportUnreadable(f"it is not well-formed XML ({expat.ErrorString(error.code)})") from None
    if not found or found[0][0] != "coverage":
        raise ReportUnreadable("its root element is not <coverage>")
    return found[0][1]


class _RootRead(Exception):
    pass


def _json(data: bytes) -> Any:
    def refuse(constant: str) -> None:
        raise ReportUnreadable(f"it holds {constant}, which is not a number")

    try:
        return json.loads(data, parse_constant=refuse)
    except (ValueError, RecursionError):
        raise ReportUnreadable("it is not valid JSON") from None


def _number(value: object, problem: str) -> float:
    try:
        number = float(value) if isinstance(value, (int, float, str)) and not isinstance(value, bool) else math.nan
    except (ValueError, OverflowError):  # not a number, or an integer too large for a float
        number = math.nan
    if not math.isfinite(number):
        raise ReportUnreadable(problem)
    return number
