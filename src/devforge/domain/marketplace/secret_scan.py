"""Secret scanning: credentials must not ship inside a package.

Two rules, applied to every text file, line by line:
- known token formats (AWS, GitHub, Slack, Stripe, OpenAI, Google, PEM private keys and our own
  API keys);
- a generic rule: a quoted base64- or hex-looking string of 32+ characters (40+ for hex) whose
  Shannon entropy is high, on a line that names a secret (key, token, secret, password...).
  Requiring the name keeps hashes, ids and minified code from being reported.
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

TOKEN_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a Dev Forge API key", re.compile(rf"\b{DEVFORGE_API_KEY_PREFIX}[A-Za-z0-9_-]{{16,}}")),
    ("an AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a Stripe live key", re.compile(r"\b(?:sk|rk)_live_[A-Za-z0-9]{16,}")),
    ("an OpenAI API key", re.compile(r"\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}")),
    ("a private key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----")),
)
QUOTED_CANDIDATE = re.compile(r"""["'`]([A-Za-z0-9+/=_-]{32,512})["'`]""")
SECRET_NAME = re.compile(r"(?i)(?:api[_-]?key|secret|token|passw(?:or)?d|pwd|credential|auth|private[_-]?key)")
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


def _has_random_literal(line: str) -> bool:
    return any(looks_random(match[1]) for match in QUOTED_CANDIDATE.finditer(line))


def scan_text(path: str, text: str) -> list[Finding]:
    findings: list[Finding] = []
    for number, line in enumerate(text.splitlines(), start=1):
        kind = next((kind for kind, pattern in TOKEN_FORMATS if pattern.search(line)), None)
        if kind is None and SECRET_NAME.search(line) and _has_random_literal(line):
            kind = "a high-entropy string that looks like a secret"
        if kind is not None:
            message = f"{path}, line {number}: {kind}. Remove it and revoke it, since it has left your hands."
            findings.append(Finding("secret", message, path, number))
    return findings


class SecretScanCheck:
    name: ClassVar[str] = "secrets"

    def run(self, package: ExtensionPackage) -> CheckResult:
        findings = [finding for path, text in package.text_files() for finding in scan_text(path, text)]
        return CheckResult.from_findings(self.name, findings, "No secrets found.")
