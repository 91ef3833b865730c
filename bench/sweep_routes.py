"""Which requests the sweep makes: every GET of the OpenAPI document, with its path parameters
filled from the seeded world and called as a role that may call it, and the five POSTs with
their wrk scripts. A GET whose parameters the world cannot fill is listed with the reason."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sweep_world import World, checkout_body, file_token

BENCH = Path(__file__).resolve().parent
# Who calls each GET: bearer routes are called as the customer unless a rule here names another
# role (the first rule naming the template or a path above it: "/api/admin" holds
# "/api/admin/users/{user_id}"); routes without
# security anonymously. A new route that answers 403 as the customer fails the sweep (exit 1):
# add its role here. "admin" is the admin with two-factor on (administrative permissions need it);
# "publisher" is the developer who owns the world's publisher (extensions:sell, its own figures).
ROLES = {
    "/api/admin": "admin",
    "/api/extensions/review-queue": "admin",  # reviewers: the admin with two-factor on
    "/api/developer/dashboard": "publisher",
    "/api/licensing": "publisher",
    "/api/extensions/{extension_id}/versions/{version}/review": "publisher",
    "/api/payments/admin": "admin",  # billing:admin
    "/api/payments/reports": "admin",  # finance:read
    "/api/payments/tax-reports": "admin",  # finance:read
    "/api/payments/statements": "publisher",  # extensions:sell, the publisher's owner
    "/api/payments/tax-profile": "publisher",
    "/api/payments/revenue": "publisher",
    "/api/payments/payouts": "publisher",
    "/api/analytics": "admin",  # analytics:read, analytics:manage
}
_PERIOD = "from={year}-01-01T00:00:00Z&to={next_year}-01-01T00:00:00Z&interval=month"
# Query parameters, filled from the world's values like path parameters: the required ones, and a
# realistic choice where the default would be trivial. The first rule that matches, as in ROLES.
QUERIES = {
    "/api/extensions/{extension_id}/compatible": "editorVersion=1.85.0",
    "/api/payments/pricing": "currency=EUR&country=DE",
    "/api/payments/reports": _PERIOD,
    "/api/payments/statements/{publisher_id}/{month}": "currency=USD",
    "/api/payments/statements": "publisherId={publisher_id}",
    "/api/payments/tax-profile": "publisherId={publisher_id}",
    "/api/payments/revenue": "publisherId={publisher_id}",
    "/api/payments/payouts": "publisherId={publisher_id}",
    "/api/analytics/metrics/definitions": "",
    "/api/analytics/metrics": f"metric=extensions.downloads&{_PERIOD}",
}
# GETs the sweep does not load, and why (wrk measures requests that end; a stream does not).
SKIP = {
    "/api/payments/tax-reports/{year}/1099-k/{file}": (
        "a payee's Form 1099-K exists only past $20,000 over 200 sales in a year: not seeded (its CSV is measured)"
    ),
    "/api/analytics/live": "a server-sent event stream: it never ends, so wrk has no latency to measure",
    "/api/analytics/forecasts": "404 until the worker has forecast a metric with eight weeks of history: not seeded",
}
LATE = {"token": file_token}  # values that expire: taken just before the route is measured


@dataclass
class Target:
    label: str
    role: str
    path: str  # "" for a Lua script that names its own paths
    script: Path | None = None
    args: Callable[[str, int], list[object]] = field(default=lambda _phase, _done: [])
    """The script's arguments for the phase ("warmup" or "measured") after ``done`` warm-up requests."""
    late: Callable[[], str] | None = None  # the path, resolved just before the run


def get_targets(document: dict[str, object], world: World) -> tuple[list[Target], list[tuple[str, str]]]:
    """(targets, [(route, why it cannot be called)])."""
    targets, skipped = [], []
    paths = document["paths"]
    assert isinstance(paths, dict)
    for template, operations in paths.items():
        if "get" not in operations:
            continue
        operation = operations["get"]
        bearer_only = operation.get("security") and {} not in operation["security"]
        role = rule(ROLES, template) or ("customer" if bearer_only else "anonymous")
        if template in SKIP:
            skipped.append((f"GET {template}", SKIP[template]))
            continue
        names = re.findall(r"\{(\w+)\}", template)
        missing = [name for name in names if name not in world.values and name not in LATE]
        if missing:
            skipped.append((f"GET {template}", f"no seeded value for {', '.join(missing)}"))
            continue
        if role != "anonymous" and role not in world.tokens:
            skipped.append((f"GET {template}", f"no {role} signed in"))
            continue
        query = rule(QUERIES, template)
        query = f"?{query.format_map(world.values)}" if query else ""

        def resolve(template: str = template, query: str = query) -> str:
            values = world.values | {name: make(world) for name, make in LATE.items() if f"{{{name}}}" in template}
            return re.sub(r"\{(\w+)\}", lambda match: values[match[1]], template) + query

        late = resolve if any(f"{{{name}}}" in template for name in LATE) else None
        targets.append(Target(f"GET {template}{query}", role, "" if late else resolve(), late=late))
    return targets, skipped


def rule(rules: dict[str, str], template: str) -> str | None:
    """The first rule naming the template or a path above it."""
    return next((value for key, value in rules.items() if template == key or template.startswith(f"{key}/")), None)


def search_target(words_file: Path) -> Target:
    """A search for a word of bench/seed_marketplace.py's vocabulary, picked at random per request."""
    searches = words_file.with_name("searches.txt")
    searches.write_text("".join(f"/api/extensions?q={word}\n" for word in words_file.read_text().split()))
    label = "GET /api/extensions?q=<word> (a seeded word at random)"
    return Target(label, "anonymous", "/", BENCH / "paths.lua", lambda _phase, _done: [searches])


def post_targets(world: World, keys_file: Path, activation_keys: Path, run_id: str) -> list[Target]:
    login, checkout = json.dumps(world.login), json.dumps(checkout_body())
    return [
        Target(
            "POST /api/licenses/validate (random seeded key)",
            "anonymous",
            "/api/licenses/validate",
            BENCH / "validate.lua",
            lambda _phase, _done: [keys_file, "random", 0],
        ),
        Target(
            "POST /api/licenses/activate (new fingerprint, seeded keys in turn)",
            "anonymous",
            "/api/licenses/activate",
            BENCH / "activate.lua",
            lambda phase, done: [activation_keys, done if phase == "measured" else 0, f"{run_id}-{phase}"],
        ),
        Target(
            "POST /api/auth/login (seeded account)",
            "anonymous",
            "/api/auth/login",
            BENCH / "post.lua",
            lambda _phase, _done: [login],
        ),
        Target(
            "POST /api/auth/register (new address each)",
            "anonymous",
            "/api/auth/register",
            BENCH / "register.lua",
            lambda phase, _done: [f"{run_id}-{phase}"],
        ),
        Target(
            "POST /api/payments/checkout (editor-perpetual, EUR, DE)",
            "customer",
            "/api/payments/checkout",
            BENCH / "post.lua",
            lambda _phase, _done: [checkout],
        ),
    ]
