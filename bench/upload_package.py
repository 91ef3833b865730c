"""Upload a realistic 20 MB package to a running devforge and time it to the review verdict.

A developer, a CI API key, a publisher and an extension are created over HTTP; then each round
uploads a new version of one package (a valid manifest, README, CHANGELOG, LICENSE, icon and
entry point, plus a few large files of random bytes, stored: incompressible, so archive safety's
ratio checks see ordinary numbers) and polls the version's review URL until a verdict. The review's
history splits the time: waiting for the worker (upload answered -> validating), the validation
checks (-> scanning) and the scan checks (-> the verdict). The check records of one phase share one
timestamp, so they give no finer split.

    .venv/bin/python bench/upload_package.py --url http://127.0.0.1:8000 --rounds 5 --megabytes 20
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
import urllib.request
import zipfile
from datetime import datetime
from typing import Any

PASSWORD = "bench-Correct-Horse-42"  # noqa: S105 - a throwaway bench account
VERDICTS = {"passed", "rejected", "quarantined", "errored"}
PHASES = ("queue (upload answered -> worker starts)", "validation checks", "scan checks")
README = (
    "# Bench Brackets\n\nColours each pair of matching brackets in its own shade, so nested code reads at a "
    "glance.\n\n## Usage\n\nInstall it, open any source file and the brackets take their colours. The "
    "palette follows the editor's theme; set `benchBrackets.shades` to choose your own.\n"
)
ENTRY = "exports.activate = function activate(context) { return context; };\n"


def call(
    method: str, url: str, body: bytes | dict[str, Any] | None = None, headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    headers = dict(headers or {})
    if isinstance(body, dict):
        headers.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310 - local
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def package(version: str, megabytes: int) -> bytes:
    manifest = {
        "name": "bench-brackets",
        "publisher": "benchpub",
        "version": version,
        "engines": {"devforge": "^1.80.0"},
        "license": "MIT",
        "main": "./out/extension.js",
        "displayName": "Bench Brackets",
        "description": "Colours matching brackets.",
        "icon": "images/icon.png",
    }
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR" + (128).to_bytes(4, "big") * 2 + b"\x08\x06\x00\x00\x00" + b"\0" * 4
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("extension/package.json", json.dumps(manifest))
        archive.writestr("extension/README.md", README)
        archive.writestr("extension/CHANGELOG.md", f"# Changelog\n\n## [{version}]\n- Bench build.\n")
        archive.writestr("extension/LICENSE", "MIT License\n")
        archive.writestr("extension/out/extension.js", ENTRY)
        archive.writestr("extension/images/icon.png", png)
        chunks = 4
        for n in range(chunks):  # models, wasm, fonts: incompressible, stored as they are
            archive.writestr(
                f"extension/dist/blob{n}.bin", os.urandom(megabytes * 1024 * 1024 // chunks), zipfile.ZIP_STORED
            )
    return buffer.getvalue()


def studio(base: str) -> tuple[str, str, str]:
    """(API key, the developer's access token, extension id)."""
    credentials = {"email": "uploader@bench.example", "password": PASSWORD, "role": "developer"}
    call("POST", f"{base}/api/auth/register", credentials)
    _, login = call("POST", f"{base}/api/auth/login", {"email": credentials["email"], "password": PASSWORD})
    auth = {"Authorization": f"Bearer {login['accessToken']}"}
    key_body = {"name": "ci", "scopes": ["extensions:publish"], "expiresInDays": 30, "password": PASSWORD}
    status, key = call("POST", f"{base}/api/auth/api-keys", key_body, auth)
    assert status == 201, key
    status, publisher = call("POST", f"{base}/api/publishers", {"namespace": "benchpub", "displayName": "Bench"}, auth)
    assert status == 201, publisher
    body = {
        "publisherId": publisher["id"],
        "name": "bench-brackets",
        "displayName": "Bench Brackets",
        "description": "Colours matching brackets.",
        "tags": ["brackets"],
        "categories": ["themes"],
    }
    status, extension = call("POST", f"{base}/api/extensions", body, auth)
    assert status == 201, extension
    return key["key"], login["accessToken"], extension["id"]


def when(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--megabytes", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    key, token, extension_id = studio(args.url)
    totals: list[float] = []
    answered: list[float] = []
    phases: dict[str, list[float]] = {}
    for round_ in range(args.rounds):
        version = f"1.0.{round_}"
        archive = package(version, args.megabytes)
        started = time.time()
        status, uploaded = call(
            "POST",
            f"{args.url}/api/extensions/{extension_id}/versions?version={version}&targetPlatform=universal",
            archive,
            {"Authorization": f"Bearer {key}", "Content-Type": "application/zip"},
        )
        accepted = time.time()
        answered.append(accepted - started)
        assert status == 202, uploaded
        while True:
            _, review = call("GET", args.url + uploaded["reviewUrl"], None, {"Authorization": f"Bearer {token}"})
            if review.get("state") in VERDICTS or time.time() - started > args.timeout:
                break
            time.sleep(0.05)
        total = time.time() - started
        totals.append(total)
        stamps = [accepted] + [when(step["at"]) for step in review.get("history", [])[-3:]]
        for phase, begin, end in zip(PHASES, stamps, stamps[1:], strict=False):
            phases.setdefault(phase, []).append(max(end - begin, 0.0))
        print(
            f"round {round_ + 1}: {len(archive) / 1e6:.1f} MB, upload answered in {accepted - started:.2f} s, "
            f"verdict {review.get('state')} after {total:.2f} s",
            file=sys.stderr,
            flush=True,
        )
    print(
        json.dumps(
            {
                "size_mb": round(len(archive) / 1e6, 1),
                "verdict": review.get("state"),
                "total_s": [round(t, 2) for t in totals],
                "uploads_s": [round(t, 2) for t in answered],
                "phase_median_s": {k: round(statistics.median(v), 3) for k, v in phases.items()},
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
