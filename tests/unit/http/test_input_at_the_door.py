"""Any bytes as a body answer a 4xx, never a 500; and the OpenAPI document states the limits the
door enforces: every text input refuses control characters, every number is bounded, no body
takes unknown fields."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from devforge.bootstrap.container import make_container, memory_providers
from devforge.entrypoints.http.app import create_app
from devforge.entrypoints.http.input_guard import MAX_JSON_DEPTH, json_depth
from tests.conftest import settings_for_tests

ROUTES = ("/api/auth/register", "/api/auth/login", "/api/licenses/validate", "/api/licenses/activate")
FORMATS_WITHOUT_CONTROLS = {"uuid", "date-time", "date"}
CONTROLS = ("\x00", "\x1b", "\x7f", "\x85")


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient[Any]]:
    config = settings_for_tests(rate_limit_auth_per_minute=10**9, rate_limit_license_per_minute=10**9)
    with TestClient(app=create_app(make_container(config, base=memory_providers()), config)) as running:
        yield running


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
).map(lambda value: repr(value).encode("utf-8", "surrogatepass"))


@settings(max_examples=100)
@given(body=st.binary(max_size=2048) | json_like | st.builds(lambda n: b"[" * n, st.integers(60, 3000)))
def test_any_bytes_as_a_body_answer_4xx_never_500(client: TestClient[Any], body: bytes) -> None:
    for route in ROUTES:
        response = client.post(route, content=body, headers={"content-type": "application/json"})
        assert 400 <= response.status_code < 500, (route, body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


@given(depth=st.integers(0, 200), noise=st.text(alphabet='[]{}"\\ ', max_size=50))
def test_brackets_inside_strings_do_not_count_toward_the_depth(depth: int, noise: str) -> None:
    quoted = '"' + noise.replace("\\", "\\\\").replace('"', '\\"') + '"'
    body = ("[" * depth + quoted + "]" * depth).encode()
    assert json_depth(body) in (0, depth)  # 0: too few brackets to be worth scanning
    if depth > MAX_JSON_DEPTH:
        assert json_depth(body) == depth


def request_schemas(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema a request may carry: parameters, bodies, and what they reference."""
    components = document["components"]["schemas"]
    seen: set[str] = set()

    def walk(where: str, schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                seen.add(name)
                yield from walk(name, components[name])
            return
        yield where, schema
        for key in ("oneOf", "anyOf", "allOf"):
            for branch in schema.get(key, []):
                yield from walk(where, {**{k: v for k, v in schema.items() if k != key}, **branch})
        for name, prop in schema.get("properties", {}).items():
            yield from walk(f"{where}.{name}", prop)
        if isinstance(schema.get("items"), dict):
            yield from walk(f"{where}[]", schema["items"])

    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "header" and parameter["name"].lower() == "authorization":
                    continue  # a credential, checked by the guard, not a text field
                yield from walk(f"{method} {path} {parameter['name']}", parameter["schema"])
            for media in operation.get("requestBody", {}).get("content", {}).values():
                yield from walk(f"{method} {path} body", media["schema"])


OPEN_BY_CONTRACT = ("post /api/analytics/events body",)
"""Objects whose unknown fields are ignored on purpose: the analytics capture body follows
PostHog's capture API, where an editor newer than the server sends fields this one does not know
yet (its own limits, sizes and depth, are checked by the decoder: ``event_decoding``)."""


def test_the_schema_states_every_limit_of_every_input(client: TestClient[Any]) -> None:
    document = client.get("/schema/openapi.json").json()
    unbounded = []
    for where, schema in request_schemas(document):
        kind = schema.get("type")
        if kind == "string" and not ("enum" in schema or schema.get("format") in FORMATS_WITHOUT_CONTROLS):
            pattern = schema.get("pattern")
            if pattern is None or any(re.search(pattern, f"https://a{c}b") for c in CONTROLS):
                unbounded.append(f"{where}: text that may hold control characters ({pattern})")
        if kind == "integer" and ("minimum" not in schema or "maximum" not in schema):
            unbounded.append(f"{where}: integer without both bounds")
        open_by_contract = where.startswith(OPEN_BY_CONTRACT)
        if kind == "object" and "properties" in schema and schema.get("additionalProperties") is not False:
            if open_by_contract:
                continue
            unbounded.append(f"{where}: object that does not say unknown fields are refused")
    assert unbounded == [], "\n".join(unbounded)
