"""The benign corpus: popular npm packages, each wrapped as an extension, through the real review.

Downloads the latest release of each package below from the npm registry (cached in
``bench/corpus_cache/``, git-ignored: a second run reads the cache), vendors it as a VSIX-style
extension (``extension/node_modules/<package>/...`` as published, bundles, minified files, wasm and
source maps included; beside it a manifest, a README with a usage section, a CHANGELOG, a LICENSE, an
icon and an entry point that requires the package), and runs the review the embedded profile runs:
the ``ReviewPipeline`` from the embedded container (the built-in malware scanner), then the
auto-approval gate's rule on findings (``ReviewRun.for_a_human``: a publisher past its probation
would see its version approved at once only without them). Each
package ends up:

- **blocked**: rejected or quarantined (a false positive: every package here is benign);
- **sent to a human**: passed with a finding of medium or higher, or errored;
- **approved**: passed with nothing a reviewer must look at.

Prints one line per package (with the rules that fired) and the rates; targets are at most 2 %
blocked and 10 % sent to a human. Nothing is written to a database.

    .venv/bin/python bench/benign_corpus.py [--only lodash,jquery] [--show-findings]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import io
import json
import re
import sys
import tarfile
import tempfile
import time
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devforge.application.marketplace.review_pipeline import ReviewPipeline, ReviewRun, UploadSlot
from devforge.bootstrap.container import make_container
from devforge.bootstrap.settings.loading import load_settings
from devforge.domain.marketplace.review import Severity
from devforge.domain.marketplace.review_outcome import state_after
from devforge.domain.marketplace.version import ReviewState

BENCH = Path(__file__).resolve().parent
CACHE = BENCH / "corpus_cache"
REGISTRY = "https://registry.npmjs.org"
PACKAGES = (
    # bundled, minified, with vendored code: what extensions ship in node_modules or dist/
    "lodash", "react", "react-dom", "jquery", "moment", "typescript", "webpack", "esbuild-wasm", "monaco-editor",
    "prettier", "vue", "rxjs", "axios", "underscore", "d3", "three", "chart.js", "bootstrap", "express", "chalk",
    "commander", "yargs", "uuid", "date-fns", "dayjs", "luxon", "immutable", "redux", "mobx", "zod", "ajv",
    "highlight.js", "marked", "markdown-it", "acorn", "@babel/parser", "@babel/standalone", "eslint", "terser",
    "uglify-js", "rollup", "postcss", "sass", "less", "handlebars", "mustache", "ejs", "pako", "jszip",
    "crypto-js", "socket.io-client", "core-js", "tslib", "semver", "minimist", "debug", "ws", "node-fetch",
    "vscode-languageclient", "vscode-languageserver", "diff", "js-yaml", "xml2js", "papaparse", "pdfjs-dist",
    "katex", "mermaid", "sql.js", "@vscode/codicons", "vscode-oniguruma", "vscode-textmate", "@xterm/xterm",
    "fuse.js", "lunr", "localforage", "@codemirror/view", "source-map-js", "lit", "preact", "svelte",
)  # fmt: skip
PUBLISHER = "corpus"
README = (
    "# {title}\n\nBrings {package} {version} into the editor, as published on npm, for the commands below.\n"
    "It is a wrapper made for the benign corpus of the review: the code is the package's own.\n\n"
    "## Usage\n\nInstall it, then run **{title}: Show version** from the command palette. The setting "
    "`{name}.enabled` turns it off.\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR" + (128).to_bytes(4, "big") * 2 + b"\x08\x06\x00\x00\x00" + b"\0" * 4


@dataclass(frozen=True)
class Release:
    package: str
    version: str
    license: str
    tarball: Path


def fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "devforge-benign-corpus"})  # noqa: S310 - npm
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        return bytes(response.read())


def release(package: str) -> Release:
    """The latest release, from the cache when it is there (the registry is asked once per package)."""
    CACHE.mkdir(exist_ok=True)
    slug = package.replace("/", "__")
    meta_path = CACHE / f"{slug}.json"
    if not meta_path.exists():
        meta_path.write_bytes(fetch(f"{REGISTRY}/{package}/latest"))
    meta = json.loads(meta_path.read_bytes())
    tarball = CACHE / f"{slug}-{meta['version']}.tgz"
    if not tarball.exists():
        tarball.write_bytes(fetch(meta["dist"]["tarball"]))
    license_ = meta.get("license") if isinstance(meta.get("license"), str) else None
    return Release(package, meta["version"], license_ or "LicenseRef-npm-unstated", tarball)


def extension_name(package: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", package.lower().lstrip("@")).strip("-")[:60]


def wrap(found: Release) -> bytes:
    """The package as an extension would vendor it: every file of the tarball under node_modules."""
    name = extension_name(found.package)
    title = found.package
    manifest: dict[str, Any] = {
        "name": name,
        "publisher": PUBLISHER,
        "version": found.version,
        "engines": {"devforge": "^1.80.0"},
        "license": found.license,
        "main": "./out/extension.js",
        "displayName": f"{title} for Dev Forge"[:60],
        "description": f"The {title} package, vendored.",
        "icon": "images/icon.png",
    }
    entry = (
        f"const vendored = require('../node_modules/{found.package}');\n"
        "exports.activate = function activate(context) { context.vendored = vendored; return context; };\n"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("extension/package.json", json.dumps(manifest, indent=2))
        readme = README.format(title=title, package=found.package, version=found.version, name=name)
        archive.writestr("extension/README.md", readme)
        archive.writestr("extension/CHANGELOG.md", f"# Changelog\n\n## [{found.version}]\n- {title} {found.version}.\n")
        archive.writestr("extension/LICENSE", f"{found.license}: see node_modules/{found.package}.\n")
        archive.writestr("extension/out/extension.js", entry)
        archive.writestr("extension/images/icon.png", PNG)
        with tarfile.open(found.tarball, "r:gz") as tar:
            for member in tar.getmembers():
                if not member.isfile():
                    continue
                inner = member.name.split("/", 1)[1] if "/" in member.name else member.name
                data = tar.extractfile(member)
                if data is not None:
                    archive.writestr(f"extension/node_modules/{found.package}/{inner}", data.read())
    return buffer.getvalue()


def outcome(run: ReviewRun) -> tuple[str, list[str]]:
    """blocked, human or approved, and the rules (check:rule) behind it."""
    state = state_after(run.verdict)
    if state in (ReviewState.REJECTED, ReviewState.QUARANTINED):
        failed = [r for r in run.results if r.outcome.value == "failed"]
        rules = [
            f"{r.check}:{f.rule} ({f.path}:{f.line})" for r in failed for f in r.findings if f.severity is Severity.HIGH
        ] or [r.check for r in failed]
        return "blocked", rules or [reason.message[:80] for reason in run.verdict.blocking_reasons]
    if state is ReviewState.ERRORED:
        return "human", [f"{r.check}:{r.outcome.value}" for r in run.results if r.outcome.value != "passed"]
    flagged = run.for_a_human
    if flagged:
        return "human", [f"{finding.rule} ({finding.path}:{finding.line})" for finding in flagged]
    return "approved", []


async def review_all(packages: list[str], show: bool) -> int:
    with tempfile.TemporaryDirectory(prefix="devforge-corpus-") as scratch:
        settings = load_settings({"DEVFORGE_PROFILE": "embedded", "DEVFORGE_DATA_DIR": scratch})
        container = make_container(settings)
        pipeline = await container.get(ReviewPipeline)
        tally: collections.Counter[str] = collections.Counter()
        rules: collections.Counter[str] = collections.Counter()
        seconds: list[float] = []
        for package in packages:
            try:
                found = release(package)
            except OSError as error:
                print(f"{package:28} not fetched: {error}", file=sys.stderr)
                continue
            archive = Path(scratch) / f"{extension_name(package)}.zip"
            archive.write_bytes(wrap(found))
            started = time.monotonic()
            run = await pipeline.run(archive, UploadSlot(PUBLISHER, extension_name(package), found.version))
            seconds.append(time.monotonic() - started)
            verdict, why = outcome(run)
            tally[verdict] += 1
            rules.update({rule.split(" (")[0] for rule in why})
            size = archive.stat().st_size / 2**20
            shown = "; ".join(why[:6]) + (f" (+{len(why) - 6})" if len(why) > 6 else "")
            print(f"{package:28} {found.version:12} {size:6.1f} MiB {seconds[-1]:6.2f} s  {verdict:8} {shown}")
            if show:
                for result in run.results:
                    for finding in result.findings:
                        print(f"    {result.check}: {finding.severity.value} {finding.rule}: {finding.message[:160]}")
            archive.unlink()
        await container.close()
    total = sum(tally.values())
    if not total:
        return 1
    print()
    for verdict in ("blocked", "human", "approved"):
        print(f"{verdict:9} {tally[verdict]:3} of {total} ({100 * tally[verdict] / total:.1f} %)")
    print(f"review time: median {sorted(seconds)[len(seconds) // 2]:.2f} s, max {max(seconds):.2f} s")
    if rules:
        print("rules behind blocked or sent to a human: " + ", ".join(f"{r} x{n}" for r, n in rules.most_common()))
    blocked, human = tally["blocked"] / total, tally["human"] / total
    print(f"targets: blocked <= 2 % {'held' if blocked <= 0.02 else 'MISSED'}, "
          f"sent to a human <= 10 % {'held' if human <= 0.10 else 'MISSED'}")  # fmt: skip
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated package names (default: the whole corpus)")
    parser.add_argument("--show-findings", action="store_true", help="print every finding of every package")
    args = parser.parse_args()
    packages = args.only.split(",") if args.only else list(PACKAGES)
    return asyncio.run(review_all(packages, args.show_findings))


if __name__ == "__main__":
    sys.exit(main())
