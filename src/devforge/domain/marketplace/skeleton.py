"""Confusable skeletons (Unicode TR39, section 4, with the registry's additions): two names
whose skeletons are equal look alike, and the registry lets only one of them exist.

The skeleton of a name is built in this order:
1. bidi overrides are applied: the text inside a right-to-left override (U+202E ... U+202C, or
   to the end) is reversed, as it is displayed, so "\\u202eemca" is "acme";
2. NFKC, which folds compatibility forms: mathematical alphanumerics (bold, italic, script ...),
   full-width letters, ligatures, superscripts;
3. invisible characters are dropped: format controls (zero-width space and joiners, bidi
   controls, soft hyphen, word joiner, BOM), control characters, variation selectors, the
   combining grapheme joiner and the Hangul and Mongolian fillers;
4. case folding, then each character is replaced by its prototype from the confusables data
   (Cyrillic "\\u0430" by Latin "a"; "O", "o" and "0" are one; "m" is "rn"), until nothing changes;
5. separators are dropped (spaces, dashes, underscores, dots), so "Acme Tools", "acme-tools"
   and "acme.tools" are one name.

The prototypes are data (``prototypes``: a character -> the text it looks like), so this
function stays pure; the marketplace's ``Confusables`` port serves them from Unicode's table.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

RIGHT_TO_LEFT_OVERRIDE, LEFT_TO_RIGHT_OVERRIDE, POP_DIRECTIONAL_FORMATTING = "\u202e", "\u202d", "\u202c"
_FILLERS = frozenset("\u034f\u115f\u1160\u3164\uffa0\u180b\u180c\u180d\u180e\u180f")
_SEPARATORS = frozenset("._\u00b7")
_ROUNDS = 4


def skeleton(name: str, prototypes: Mapping[str, str]) -> str:
    text = unicodedata.normalize("NFKC", displayed_order(name))
    text = "".join(char for char in text if not _invisible(char)).casefold()
    for _ in range(_ROUNDS):
        mapped = unicodedata.normalize("NFKC", "".join(prototypes.get(char, char) for char in text)).casefold()
        if mapped == text:
            break
        text = mapped
    return "".join(char for char in text if not _separator(char) and not _invisible(char))


def displayed_order(text: str) -> str:
    """The characters in the order an override displays them: an RLO run reversed (nested runs
    included), an LRO run as it is; a run nobody closed ends with the text."""
    runs: list[list[str]] = [[]]
    kinds: list[str] = []
    for char in text:
        if char in (RIGHT_TO_LEFT_OVERRIDE, LEFT_TO_RIGHT_OVERRIDE):
            runs.append([])
            kinds.append(char)
        elif char == POP_DIRECTIONAL_FORMATTING and kinds:
            _close(runs, kinds)
        else:
            runs[-1].append(char)
    while kinds:
        _close(runs, kinds)
    return "".join(runs[0])


def _close(runs: list[list[str]], kinds: list[str]) -> None:
    """A closed run is one piece of its enclosing run: reversing that keeps the piece's order."""
    run, kind = runs.pop(), kinds.pop()
    runs[-1].append("".join(reversed(run) if kind == RIGHT_TO_LEFT_OVERRIDE else run))


def _invisible(char: str) -> bool:
    if char in _FILLERS:
        return True
    code = ord(char)
    if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:  # variation selectors
        return True
    return unicodedata.category(char) in ("Cf", "Cc")


def _separator(char: str) -> bool:
    return char in _SEPARATORS or unicodedata.category(char) in ("Zs", "Zl", "Zp", "Pd", "Pc")
