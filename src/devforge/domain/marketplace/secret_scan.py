"""Secret scanning: credentials must not ship inside a package.

Two rules, applied to every file (a binary one read as text with replacement characters, so its
ASCII is searched as bytes), one finding per line:
- known token formats (AWS, GitHub, Slack, Stripe, OpenAI, Google, PEM private keys and our own
  API keys);
- a generic rule: a quoted base64- or hex-looking string of 32+ characters (40+ for hex) whose
  Shannon entropy is high, named as a secret (key, token, secret, password...) in the 40
  characters before it on its line. Requiring the name keeps hashes and ids from being reported,
  and its nearness keeps minified code (one line holding "token" somewhere and a random-looking
  literal elsewhere) from being reported.
Findings name the file, the line and the kind of secret, never the secret itself.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import ClassVar

from devforge.domain.marketplace.package import ExtensionPackage
from devforge.domain.marketplace.review import CheckResult, Finding

# Our own API keys (identity's API_KEY_PREFIX). Kept here rather than imported: bounded contexts
# never import each other, and the prefix is public by design so that scanners can find it.
DEVFORGE_API_KEY_PREFIX = "dfk_live_"

# Searched in the bytes of every file. Each pattern starts with a literal (no leading ``\b`` nor
# character class, which stop the regex engine from jumping to the literal and make a 20 MB binary
# cost seconds); the word boundary before a match is checked by hand, and a Stripe key's first
# letter too (``LEADS``).
LEADS = {"a Stripe live key": b"rs"}
TOKEN_FORMATS: tuple[tuple[str, re.Pattern[bytes]], ...] = (
    ("a Dev Forge API key", re.compile(rb"dfk_live_[A-Za-z0-9_-]{16,}")),
    ("an AWS access key id", re.compile(rb"(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a GitHub token", re.compile(rb"gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}")),
    ("a Slack token", re.compile(rb"xox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a Stripe live key", re.compile(rb"k_live_[A-Za-z0-9]{16,}")),
    ("an OpenAI API key", re.compile(rb"sk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}")),
    ("a Google API key", re.compile(rb"AIza[0-9A-Za-z_-]{35}")),
    ("a private key", re.compile(rb"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----")),
)
QUOTED_CANDIDATE = re.compile(rb"""["'`]([A-Za-z0-9+/=_-]{32,512})["'`]""")
SECRET_NAME = re.compile(rb"(?i)(?:api[_-]?key|secret|token|passw(?:or)?d|pwd|credential|auth|private[_-]?key)")
WORD = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
HEX = re.compile(r"[0-9a-fA-F]+")
BASE64_MIN_ENTROPY = 4.2  # bits per character; random base64 of 32+ characters scores about 4.5-5
HEX_MIN_LENGTH, HEX_MIN_ENTROPY = 40, 3.5  # random hex scores about 3.7-3.9


def shannon_entropy(text: str) -> float:
    """Average bits of information per character, from the character frequencies of ``text``."""
    if not text:
        return 0.0
    counts = Counter(text)
    return -sum(count / len(text) * math.log2(count / len(text)) for count in counts.values())


def looks_random(candidate: str) -> bool:
    if HEX.fullmatch(candidate):
        return len(candidate) >= HEX_MIN_LENGTH and shannon_entropy(candidate) >= HEX_MIN_ENTROPY
    has_digit = any(character.isdigit() for character in candidate)
    has_letter = any(character.isalpha() for character in candidate)
    return has_digit and has_letter and shannon_entropy(candidate) >= BASE64_MIN_ENTROPY


GENERIC = "a high-entropy string that looks like a secret"
BINARY_SNIFF_BYTES = 8192
NAME_REACH = 40  # the secret's name must come just before it: `apiKey: "..."`, `TOKEN = '...'`


def scan_text(path: str, text: str) -> list[Finding]:
    return scan_bytes(path, text.encode("utf-8", "surrogateescape"))


def scan_bytes(path: str, data: bytes) -> list[Finding]:
    """One finding per line (by its first token format in the table's order, else the generic rule,
    which is for text files: a NUL in the first 8 KiB makes a file binary); each expression runs once
    over the whole file."""
    kinds: dict[int, tuple[int, str]] = {}
    lines = _LineCounter(data)
    for index, (kind, pattern) in enumerate(TOKEN_FORMATS):
        lead = LEADS.get(kind, b"")
        for match in pattern.finditer(data):
            start = match.start() - len(lead[:1])
            if (not lead or (start >= 0 and data[start] in lead)) and _at_word_start(data, start):
                number = lines.at(start)
                kinds[number] = min(kinds.get(number, (index, kind)), (index, kind))
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        return _findings(path, kinds)  # the generic rule needs a secret's name on a line: text only
    for match in QUOTED_CANDIDATE.finditer(data):
        if not looks_random(match[1].decode("ascii")):
            continue
        line_start = data.rfind(b"\n", 0, match.start()) + 1
        if SECRET_NAME.search(data, max(line_start, match.start() - NAME_REACH), match.start()):
            kinds.setdefault(lines.at(match.start()), (len(TOKEN_FORMATS), GENERIC))
    return _findings(path, kinds)


def _findings(path: str, kinds: dict[int, tuple[int, str]]) -> list[Finding]:
    advice = "Remove it and revoke it, since it has left your hands."
    return [
        Finding("secret", f"{path}, line {number}: {kind}. {advice}", path, number)
        for number, (_, kind) in sorted(kinds.items())
    ]


def _at_word_start(data: bytes, start: int) -> bool:
    return start == 0 or data[start - 1] not in WORD


class _LineCounter:
    """Line numbers (1-based, by newline bytes) of offsets, counted incrementally while they grow."""

    def __init__(self, data: bytes) -> None:
        self._data, self._offset, self._line = data, 0, 1

    def at(self, offset: int) -> int:
        if offset < self._offset:
            return self._data.count(b"\n", 0, offset) + 1
        self._line += self._data.count(b"\n", self._offset, offset)
        self._offset = offset
        return self._line


class SecretScanCheck:
    name: ClassVar[str] = "secrets"

    def run(self, package: ExtensionPackage) -> CheckResult:
        findings = [finding for path, chunks in package.chunks() for finding in scan_bytes(path, b"".join(chunks))]
        return CheckResult.from_findings(self.name, findings, "No secrets found.")
