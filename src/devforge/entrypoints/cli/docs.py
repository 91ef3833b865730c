"""``devforge docs``: rewrite (or ``--check``) README.md's endpoint tables from the OpenAPI
document the app publishes. The app is built on in-memory adapters: nothing is opened or
written but the README."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import msgspec

from devforge.bootstrap.settings import Settings


def add_docs_commands(commands: Any) -> None:
    docs = commands.add_parser("docs", help="regenerate README.md's endpoint tables from the OpenAPI document")
    docs.add_argument("--readme", type=Path, default=Path("README.md"))
    docs.add_argument("--check", action="store_true", help="exit 1 when the tables are out of date; write nothing")
    docs.set_defaults(run=write_docs)


def openapi_document(settings: Settings) -> dict[str, Any]:
    """The OpenAPI document of the app these settings build, as plain JSON data."""
    from devforge.bootstrap.container import make_container, memory_providers
    from devforge.entrypoints.http.app import create_app

    app = create_app(make_container(settings, base=memory_providers()), settings)
    document: dict[str, Any] = msgspec.json.decode(msgspec.json.encode(app.openapi_schema.to_schema()))
    return document


def write_docs(settings: Settings, args: argparse.Namespace) -> int:
    from devforge.entrypoints.http.endpoint_docs import MarkersMissing, endpoint_tables, with_endpoint_tables

    readme: Path = args.readme
    text = readme.read_text(encoding="utf-8")
    try:
        wanted = with_endpoint_tables(text, endpoint_tables(openapi_document(settings)))
    except MarkersMissing as error:
        print(f"devforge docs: {error}", file=sys.stderr)
        return 2
    if wanted == text:
        print(f"{readme}: the endpoint tables are up to date")
        return 0
    if args.check:
        print(f"{readme}: the endpoint tables are out of date; run `make docs`", file=sys.stderr)
        return 1
    readme.write_text(wanted, encoding="utf-8")
    print(f"{readme}: endpoint tables rewritten")
    return 0
