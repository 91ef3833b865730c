"""Suspicious code in JavaScript and TypeScript files, reported with file and line.

Blocking: running code that comes from the network or from a decoded string (``eval`` or
``new Function`` in a file that fetches, or over ``atob``/``Buffer.from``), and obfuscation
(a base64 run of 1,000+ characters that is not a ``data:`` URI, 40+ ``\\xNN`` escapes in a row,
or 20+ ``_0x1234``-style names in one file).
Warnings (reported, not blocking, since many honest extensions do this): starting processes
(``child_process``) and talking to network hosts outside the allowlist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar
from urllib.parse import urlsplit

from devforge.domain.marketplace.package import ExtensionPackage
from devforge.domain.marketplace.review import CheckResult, Finding, Severity

CODE_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
DEFAULT_ALLOWED_HOSTS = frozenset({"localhost", "127.0.0.1", "devforge.dev", "w3.org", "apache.org", "opensource.org"})

FETCHES = re.compile(r"\bfetch\s*\(|XMLHttpRequest|\bhttps?\.(?:get|request)\s*\(|\baxios\b|\bgot\s*\(|WebSocket\s*\(")
EVALUATES = re.compile(r"\beval\s*\(|\bnew\s+Function\s*\(|\bvm\.runIn\w*\s*\(")
EVAL_OF_DECODED = re.compile(r"(?:\beval|\bFunction)\s*\(\s*(?:atob\s*\(|Buffer\.from\s*\(|unescape\s*\()")
BASE64_RUN = re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{1000,}={0,2}")
HEX_ESCAPES = re.compile(r"(?:\\x[0-9a-fA-F]{2}){40,}")
OBFUSCATED_NAME = re.compile(r"\b_0x[0-9a-f]{4,6}\b")
OBFUSCATED_NAME_LIMIT = 20
SPAWNS = re.compile(r"""\b(?:require\s*\(\s*|from\s+|import\s*\(\s*)["'](?:node:)?child_process["']""")
URL = re.compile(r"""\b(?:https?|wss?)://[^\s"'`<>)\\]+""")


class SuspiciousCodeCheck:
    name: ClassVar[str] = "suspicious_code"

    def __init__(self, allowed_hosts: Iterable[str] = DEFAULT_ALLOWED_HOSTS) -> None:
        self.allowed_hosts = frozenset(host.lower() for host in allowed_hosts)

    def run(self, package: ExtensionPackage) -> CheckResult:
        findings: list[Finding] = []
        for path, text in package.text_files():
            if path.lower().endswith(CODE_SUFFIXES):
                findings.extend(scan_code(path, text, self.allowed_hosts))
        return CheckResult.from_findings(self.name, findings, "No suspicious code found.")


def scan_code(path: str, text: str, allowed_hosts: frozenset[str] = DEFAULT_ALLOWED_HOSTS) -> list[Finding]:
    findings: list[Finding] = []
    fetches = FETCHES.search(text) is not None
    names = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if EVAL_OF_DECODED.search(line) or (fetches and EVALUATES.search(line)):
            findings.append(_found("remote_eval", path, number, "runs code that is fetched or decoded at run time"))
        if _has_blob(line) or HEX_ESCAPES.search(line):
            findings.append(_found("obfuscated_blob", path, number, "holds an obfuscated blob"))
        names += len(OBFUSCATED_NAME.findall(line))
        if names >= OBFUSCATED_NAME_LIMIT:
            findings.append(_found("obfuscated_code", path, number, "looks machine-obfuscated (_0x names)"))
            names = -len(text)  # report a file once
        if SPAWNS.search(line):
            findings.append(_found("process_spawn", path, number, "starts processes (child_process)", Severity.LOW))
        for host in sorted({_host(url) for url in URL.findall(line)} - {""}):
            if not _allowed(host, allowed_hosts):
                message = f"contacts the network host '{host}'"
                findings.append(_found("network_host", path, number, message, Severity.LOW))
    return findings


def _has_blob(line: str) -> bool:
    return any(not line[: match.start()].endswith("base64,") for match in BASE64_RUN.finditer(line))


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _allowed(host: str, allowed_hosts: frozenset[str]) -> bool:
    return any(host == allowed or host.endswith("." + allowed) for allowed in allowed_hosts)


def _found(rule: str, path: str, line: int, what: str, severity: Severity = Severity.HIGH) -> Finding:
    return Finding(rule, f"{path}, line {line}: {what}.", path, line, severity)
