"""README.md's endpoint tables cover every route the app publishes, and say what the OpenAPI
document says (they are generated from it by ``make docs``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from devforge.entrypoints.http.endpoint_docs import (
    BEGIN,
    END,
    METHODS,
    MarkersMissing,
    endpoint_tables,
    with_endpoint_tables,
)

README = Path(__file__).resolve().parents[3] / "README.md"
ROW = re.compile(r"^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \|", re.MULTILINE)


def routes_in(text: str) -> set[tuple[str, str]]:
    section = text[text.index(BEGIN) : text.index(END)]
    return {(method, path) for method, path in ROW.findall(section)}


async def test_the_readme_lists_every_route_as_the_openapi_document_describes_it(client: AsyncTestClient) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    published = {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
        if method in METHODS
    }
    readme = README.read_text(encoding="utf-8")
    assert len(published) >= 100
    missing, stale = published - routes_in(readme), routes_in(readme) - published
    assert not missing and not stale, f"README.md misses {sorted(missing)}, lists gone {sorted(stale)}: run `make docs`"
    assert with_endpoint_tables(readme, endpoint_tables(document)) == readme, (
        "README.md is out of date: run `make docs`"
    )


def test_a_route_missing_from_the_document_is_noticed() -> None:
    operation = {"summary": "Ping", "description": "Answers | pong.", "tags": ["health"]}
    document = {"paths": {"/ping": {"get": operation}, "/me": {"get": {"summary": "Me", "security": [{"bearer": []}]}}}}
    readme = f"intro\n{BEGIN}\nold\n{END}\nrest\n"
    written = with_endpoint_tables(readme, endpoint_tables(document))
    assert routes_in(written) == {("GET", "/ping"), ("GET", "/me")}
    assert "| GET | `/ping` | anyone | Ping. Answers \\| pong. |" in written
    assert "| GET | `/me` | token | Me |" in written
    assert written.startswith("intro\n") and written.endswith(f"{END}\nrest\n")
    document["paths"]["/new"] = {"post": {"summary": "New"}}
    assert with_endpoint_tables(written, endpoint_tables(document)) != written


def test_a_readme_without_the_markers_is_refused() -> None:
    with pytest.raises(MarkersMissing):
        with_endpoint_tables("no markers here", "tables")
