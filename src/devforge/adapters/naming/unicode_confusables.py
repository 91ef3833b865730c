"""The confusables table of Unicode TR39 as shipped by ``confusable_homoglyphs`` (its
``confusables.json`` is built from Unicode's ``confusables.txt``).

That file lists each pair in both directions (the source under its prototype and the prototype
under its source), so the direction is rebuilt here: a character listed with a sequence of
several characters maps to it (``m`` -> ``rn``); characters listed with each other form one
class, joined with their lower-case forms for ASCII letters (names compare without case, so
``0``, ``O`` and ``o`` are one), and the class maps to one member, an ASCII letter or digit when it has one."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources

_MARKS = str.maketrans("", "", "\u200e\u200f")  # the file wraps right-to-left glyphs in LRM/RLM


class UnicodeConfusables:
    """The table is built once per process, on first use (a fifth of a second), and shared."""

    def prototypes(self) -> Mapping[str, str]:
        return _table()


@cache
def _table() -> Mapping[str, str]:
    return _prototypes(_load())


def _load() -> dict[str, list[dict[str, str]]]:
    text = resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text(encoding="utf-8")
    data: dict[str, list[dict[str, str]]] = json.loads(text)
    return data


def _prototypes(data: dict[str, list[dict[str, str]]]) -> dict[str, str]:
    parent: dict[str, str] = {}

    def find(char: str) -> str:
        while parent.setdefault(char, char) != char:
            parent[char] = parent[parent[char]]
            char = parent[char]
        return char

    def join(left: str, right: str) -> None:
        parent[find(left)] = find(right)

    sequences: dict[str, str] = {}
    for key, entries in data.items():
        if len(key) != 1:
            continue
        for entry in entries:
            other = entry["c"].translate(_MARKS)
            if len(other) == 1:
                join(key, other)
            elif other:
                sequences[key] = other
    for char in [char for char in parent if char.isascii() and char.isupper()]:
        join(
            char, char.lower()
        )  # 'O' and 'o': only ASCII, a folded Greek or Latin-extended letter joins unrelated classes
    members: dict[str, list[str]] = {}
    for char in list(parent):
        members.setdefault(find(char), []).append(char)
    table = {char: min(group, key=_preference) for group in members.values() for char in group}
    table.update(sequences)
    return {char: prototype for char, prototype in table.items() if char != prototype}


def _preference(char: str) -> tuple[int, int]:
    if char.isascii() and char.isalnum() and not char.isupper():
        return 0, ord(char)
    return (1 if char.isascii() else 2), ord(char)
