"""Suspicious code rules that read lines, not syntax, each reported with file and line.

``scan_code``: the older line patterns, kept for the embedded malware scanner and the pattern
code analyser. Blocking (HIGH): running code that comes from the network or from a decoded string
(``eval`` or ``new Function`` in a file that fetches, or over ``atob``/``Buffer.from``), and
obfuscation. Warnings (LOW, since many honest extensions do this): starting processes
(``child_process``) and talking to network hosts outside the allowlist.

``obfuscation_signals`` (beside the parser's rules): HIGH everywhere for machine obfuscation (20+
``_0x1234``-style names, a ``p,a,c,k,e,d`` packer); outside declared vendor bundles, HIGH for a
base64 run of 1,000+ characters that is not a ``data:`` URI or 40+ ``\\xNN`` escapes in a row,
MEDIUM for a very long line (1,000+ characters) and for a long high-entropy string (packed data).

``install_scripts``: a ``package.json`` that runs scripts when installed (``preinstall``,
``install``, ``postinstall``...) goes to a reviewer (MEDIUM); one that downloads and runs, or runs
inline or encoded code, is HIGH. In vendored packages only download-and-run counts (HIGH); other
hooks are reported (LOW).
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from devforge.domain.marketplace.review import Finding, Severity
from devforge.domain.marketplace.secret_scan import shannon_entropy

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
PACKER = re.compile(r"\beval\s*\(\s*function\s*\(\s*p\s*,\s*a\s*,\s*c\s*,\s*k\s*,\s*e\s*,\s*[rd]\s*\)")
LONG_LINE = 1000
SHORTEST_SIGNAL_LINE = 160  # the shortest line a blob, hex run, packed string or long line can be on (40 x \xNN)
PACKED_STRING = re.compile(r"""(["'`])([^"'`\s]{200,})\1""")
PACKED_MIN_ENTROPY = 5.0  # bits per character: base64 of random bytes scores about 5.9, code and prose 4-4.5
FETCH_PIPE_SHELL = re.compile(
    r"(?i)\b(?:curl|wget|iwr|invoke-webrequest|irm|invoke-restmethod)\b[^|;&\n]*\|\s*(?:sudo\s+)?"
    r"(?:(?:ba|z|da|k)?sh|iex|python\d?|node|perl|ruby|powershell|pwsh)\b"
    r"|powershell(?:\.exe)?\s+(?:-\w+\s+)*-e(?:nc(?:odedcommand)?)?\s"
)
INSTALL_HOOKS = ("preinstall", "install", "postinstall", "preuninstall", "uninstall", "postuninstall", "prepare")
INLINE_CODE = re.compile(r"(?i)\bnode\s+(?:-e|--eval|-p)\b|\bbase64\b|\beval\b|\bpowershell\b.*-e")


def scan_code(path: str, text: str, allowed_hosts: frozenset[str] = DEFAULT_ALLOWED_HOSTS) -> list[Finding]:
    """The line patterns: eval of fetched or decoded code, processes, obfuscation, network hosts."""
    findings = code_patterns(path, text)
    findings.extend(obfuscation_signals(path, text, bundle=False, all_lines=False))
    findings.extend(network_hosts(path, text, allowed_hosts))
    return sorted(findings, key=lambda finding: finding.line or 0)


def code_patterns(path: str, text: str) -> list[Finding]:
    """Eval of fetched or decoded code (HIGH) and processes (LOW), by line patterns alone."""
    findings: list[Finding] = []
    fetches = FETCHES.search(text) is not None
    for number, line in enumerate(text.splitlines(), start=1):
        if EVAL_OF_DECODED.search(line) or (fetches and EVALUATES.search(line)):
            findings.append(_found("remote_eval", path, number, "runs code that is fetched or decoded at run time"))
        if SPAWNS.search(line):
            findings.append(_found("process_spawn", path, number, "starts processes (child_process)", Severity.LOW))
    return findings


def obfuscation_signals(path: str, text: str, *, bundle: bool, all_lines: bool = True) -> list[Finding]:
    """``bundle``: a declared vendor bundle (only machine obfuscation is reported); ``all_lines``
    off leaves out the MEDIUM signals (long lines, packed strings) the line patterns never had."""
    findings: list[Finding] = []
    names = 0
    long_line = packed = False
    # What a line can match, the whole text matches too (a line break is neither a word character
    # nor one these patterns hold), so the text is searched once first: a line is looked at only
    # when it is long enough for a signal or the text has a packer or enough obfuscated names.
    # Both patterns start with a literal, looked for first (a substring search, much faster than the regex).
    packer = "eval" in text and PACKER.search(text) is not None
    every_line = packer or ("_0x" in text and len(OBFUSCATED_NAME.findall(text)) >= OBFUSCATED_NAME_LIMIT)
    if bundle and not every_line:
        return findings
    for number, line in enumerate(text.splitlines(), start=1):
        if not every_line and len(line) < SHORTEST_SIGNAL_LINE:
            continue
        if PACKER.search(line):
            findings.append(_found("packed_code", path, number, "is packed with an eval packer"))
        names += len(OBFUSCATED_NAME.findall(line))
        if names >= OBFUSCATED_NAME_LIMIT:
            findings.append(_found("obfuscated_code", path, number, "looks machine-obfuscated (_0x names)"))
            names = -len(text)  # report a file once
        if bundle:
            continue
        if _has_blob(line) or HEX_ESCAPES.search(line):
            findings.append(_found("obfuscated_blob", path, number, "holds an obfuscated blob"))
        elif all_lines and not packed and _packed_string(line):
            packed = True
            findings.append(_found("packed_string", path, number, "holds a long high-entropy string", Severity.MEDIUM))
        if all_lines and not long_line and len(line) >= LONG_LINE:
            long_line = True
            what = f"has a {len(line):,}-character line outside a declared vendor bundle"
            findings.append(_found("long_line", path, number, what, Severity.MEDIUM))
    return findings


def network_hosts(path: str, text: str, allowed_hosts: frozenset[str] = DEFAULT_ALLOWED_HOSTS) -> list[Finding]:
    findings: list[Finding] = []
    if "://" not in text:
        return findings
    for number, line in enumerate(text.splitlines(), start=1):
        if "://" not in line:
            continue  # no URL on it
        for host in sorted({_host(url) for url in URL.findall(line)} - {""}):
            if not _allowed(host, allowed_hosts):
                message = f"contacts the network host '{host}'"
                findings.append(_found("network_host", path, number, message, Severity.LOW))
    return findings


def install_scripts(path: str, text: str, *, vendored: bool = False) -> list[Finding]:
    """The install-time hooks of a ``package.json`` (any, root or nested), cited by line. In a
    vendored package (``node_modules/``, a nested archive) only download-and-run blocks: nothing
    installs an extension's vendored packages, and many ship ordinary hooks."""
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError):
        return []
    scripts = raw.get("scripts") if isinstance(raw, dict) else None
    if not isinstance(scripts, dict):
        return []
    lines = text.splitlines()
    findings: list[Finding] = []
    for hook in INSTALL_HOOKS:
        command = scripts.get(hook)
        if not isinstance(command, str):
            continue
        number = next((n for n, line in enumerate(lines, start=1) if f'"{hook}"' in line), 1)
        if FETCH_PIPE_SHELL.search(command):
            findings.append(_found("install_script", path, number, f"downloads and runs a script at install ({hook})"))
        elif vendored:
            what = f"a vendored package runs '{command[:60]}' when installed ({hook})"
            findings.append(_found("install_script", path, number, what, Severity.LOW))
        elif INLINE_CODE.search(command):
            findings.append(_found("install_script", path, number, f"runs inline or encoded code at install ({hook})"))
        else:
            what = f"runs '{command[:60]}' when installed ({hook})"
            findings.append(_found("install_script", path, number, what, Severity.MEDIUM))
    return findings


def _packed_string(line: str) -> bool:
    return any(shannon_entropy(match[2]) >= PACKED_MIN_ENTROPY for match in PACKED_STRING.finditer(line))


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
