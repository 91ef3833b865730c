"""Suspicious code: remote or decoded eval and obfuscation block; processes and new hosts are reported."""

from __future__ import annotations

import base64
import json
import random

import pytest

from devforge.adapters.scanning.tree_sitter_code_analyser import TreeSitterCodeAnalyser
from devforge.application.marketplace.code_scan import PackageCodeReader, SuspiciousCodeCheck
from devforge.domain.marketplace.review import CheckOutcome, Severity
from devforge.domain.marketplace.suspicious_code import scan_code

from .zips import build_zip, clean_files, manifest, package_of

BLOB = base64.b64encode(random.Random(1).randbytes(1200)).decode()


@pytest.mark.parametrize(
    ("code", "rule", "line"),
    [
        ("const r = await fetch(u);\nconst src = await r.text();\neval(src);", "remote_eval", 3),
        ("https.get(u, (res) => {\n  new Function(body)();\n});", "remote_eval", 2),
        ("eval(atob('YWxlcnQoMSk='));", "remote_eval", 1),
        ("Function(Buffer.from(x, 'base64').toString())();", "remote_eval", 1),
        (f"const payload = '{BLOB}';", "obfuscated_blob", 1),
        ("var s = '" + "\\x61" * 50 + "';", "obfuscated_blob", 1),
        ("\n".join(f"var _0x{index:04x} = _0x{index + 1:04x};" for index in range(12)), "obfuscated_code", 10),
    ],
)
def test_running_fetched_or_hidden_code_blocks(code: str, rule: str, line: int) -> None:
    findings = scan_code("out/extension.js", code)
    assert [(finding.rule, finding.line, finding.severity) for finding in findings] == [(rule, line, Severity.HIGH)]
    assert f"out/extension.js, line {line}" in findings[0].message


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        ("const cp = require('child_process');", "process_spawn"),
        ('import { spawn } from "node:child_process";', "process_spawn"),
        ("const api = 'https://collector.example.net/upload?id=1';", "network_host"),
    ],
)
def test_processes_and_new_hosts_are_reported_as_warnings(code: str, rule: str) -> None:
    (finding,) = scan_code("out/extension.js", code)
    assert finding.rule == rule and finding.severity is Severity.LOW


def test_ordinary_code_and_allowed_hosts_are_not_reported() -> None:
    code = (
        "const ns = 'http://www.w3.org/2000/svg';\n"
        "// Licensed under http://www.apache.org/licenses/LICENSE-2.0\n"
        "const docs = 'https://docs.devforge.dev/api';\n"
        "const img = 'data:image/png;base64," + BLOB + "';\n"
        "const result = eval('1 + 1');\n"  # eval of a literal, in a file that does not fetch
    )
    assert scan_code("out/extension.js", code) == []


def check(allowed_hosts: set[str] | None = None) -> SuspiciousCodeCheck:
    reader = PackageCodeReader(TreeSitterCodeAnalyser(), *(() if allowed_hosts is None else (allowed_hosts,)))
    return SuspiciousCodeCheck(reader)


def test_the_check_blocks_an_obfuscated_eval_passes_warnings_and_skips_non_code_files() -> None:
    hostile = clean_files({"extension/out/extension.js": b"eval(atob('YWxlcnQoMSk='));"})
    assert check().run(package_of(hostile)).outcome is CheckOutcome.FAILED
    spawning = clean_files({"extension/out/extension.js": b"require('child_process').spawn('git');"})
    result = check().run(package_of(spawning))
    assert result.outcome is CheckOutcome.PASSED and "starts processes" in result.publisher_message
    docs = clean_files({"extension/notes.md": b"eval(atob('x')) and https://evil.example"})
    assert check().run(package_of(docs)).findings == ()
    allowed = check(allowed_hosts={"example.net"})
    assert (
        allowed.run(package_of(clean_files({"extension/a.js": b"fetch('https://api.example.net/x')"}))).findings == ()
    )


def test_obfuscation_signals_are_waived_only_in_declared_vendor_bundles() -> None:
    bundle = {"extension/dist/webview.js": b"var a = 1;\n" + b"x=1;" * 400}
    own = check().run(package_of(clean_files(bundle)))
    assert [(f.rule, f.line, f.severity) for f in own.for_a_human] == [("long_line", 2, Severity.MEDIUM)]
    declared = json.dumps(manifest(devforge={"vendorBundles": ["dist/webview.js"]})).encode()
    waived = check().run(package_of(clean_files({**bundle, "extension/package.json": declared})))
    assert waived.for_a_human == () and waived.outcome is CheckOutcome.PASSED


def test_a_file_shipped_twice_is_reported_at_both_places() -> None:
    code = b"const s = atob('YWxlcnQoMSk=');\neval(s);\n"
    files = clean_files({"extension/dist/a.js": code, "extension/dist/all.zip": build_zip({"a.js": code})})
    result = check().run(package_of(files))
    cited = sorted((f.path, f.line) for f in result.findings if f.rule == "remote_eval")
    assert cited == [("extension/dist/a.js", 2), ("extension/dist/all.zip!/a.js", 2)]
    assert any(f.message.startswith("extension/dist/all.zip!/a.js, line 2") for f in result.findings)
