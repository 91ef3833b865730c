"""``devforge license verify``: check an offline license file with the reference verifier.

It runs on a client's machine as well as the server's, so it needs no settings or database."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from devforge.client.license_verifier import LicenseInvalid, load_public_keys, verify_license_file


def add_license_commands(commands: Any) -> None:
    license = commands.add_parser("license", help="offline license tools")
    actions = license.add_subparsers(required=True, metavar="ACTION")
    verify = actions.add_parser("verify", help="verify a license file offline (exit 0 valid, 1 invalid)")
    verify.add_argument("file", type=Path)
    verify.add_argument("--public-keys", type=Path, required=True, help="JSON from the public-keys endpoint")
    verify.add_argument("--fingerprint", required=True)
    verify.add_argument("--key", help="the license key (encrypted files); default: $DEVFORGE_LICENSE_KEY")
    verify.add_argument("--revocation-list", type=Path, help="a signed revocation list to check against")
    verify.set_defaults(run=verify_file, offline=True)


def verify_file(_: object, args: argparse.Namespace) -> int:
    try:
        payload = verify_license_file(
            args.file.read_text(encoding="utf-8"),
            public_keys=load_public_keys(args.public_keys.read_text(encoding="utf-8")),
            fingerprint=args.fingerprint,
            now=datetime.now(UTC),
            license_key=args.key or os.environ.get("DEVFORGE_LICENSE_KEY"),
            revocation_list=args.revocation_list.read_text(encoding="utf-8") if args.revocation_list else None,
        )
    except (OSError, ValueError, KeyError) as error:
        print(f"invalid: cannot read the inputs ({error.__class__.__name__})", file=sys.stderr)
        return 1
    except LicenseInvalid as error:
        print(f"invalid: {error.reason}", file=sys.stderr)
        return 1
    license = payload["license"]
    print(f"valid: license {license['id']} ({license['status']}) until {payload['expires_at']}")
    return 0
