"""Schemathesis over the whole OpenAPI document, as anonymous, customer, developer and admin, on
both profiles: no answer may be a server error, and no request the schema calls valid may be
refused (400 or 422).

For each profile: a fresh instance (embedded: ``devforge serve`` on SQLite in a temporary data
folder; production: ``devforge serve`` with ``DEVFORGE_PROFILE=production`` on a new PostgreSQL
database, a Redis db of its own and the local fake of Stripe), rate limits raised out of the way,
the four callers made through the API, then ``schemathesis run`` against ``/schema/openapi.json``
once per caller with the checks ``not_a_server_error`` and ``positive_data_acceptance``.

    .venv/bin/python bench/fuzz_api.py [--profile embedded|production|both] [--max-examples N] [--seed S]
        [--roles anonymous,customer,developer,admin] [--config bench/schemathesis.toml]

``bench/schemathesis.toml`` declares, for the few operations whose refusals depend on state,
configuration or a secret (a cursor no page answered, a wrong password), the status each may
answer a schema-valid request with; bench/README.md says why each keeps it.

Exits 1 when any run found a failure. Reports (JSON, one per run) and logs land in
``bench/results/fuzz-<UTC timestamp>/``.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fuzz_callers import Caller, make_callers
from fuzz_instance import DEVFORGE, Instance, running_instance
from harness import progress

BENCH = Path(__file__).resolve().parent
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
CHECKS = "not_a_server_error,positive_data_acceptance"
# The operations whose refusals depend on state, configuration or a secret, and the status each declares.
CONFIG = BENCH / "schemathesis.toml"
# Signing out ends the very session the run authenticates with; anonymous callers still fuzz it.
SESSION_ENDING = ("/api/auth/logout",)


@dataclass(frozen=True)
class Outcome:
    profile: str
    role: str
    operations: int
    generated: int
    server_errors: int
    refused_valid: int
    other_failures: int
    failing_operations: list[str]
    logged_500s: int


def main() -> int:
    parser = argparse.ArgumentParser(description="schemathesis over the whole API, four callers, both profiles")
    parser.add_argument("--profile", choices=["embedded", "production", "both"], default="both")
    parser.add_argument("--max-examples", type=int, default=100, help="examples per operation in the fuzzing phase")
    parser.add_argument("--seed", type=int, default=20261206)
    # One: with two, schemathesis' threads build Python ASTs at once, and CPython 3.11 then fails
    # now and again with "AST constructor recursion depth mismatch" (gh-106905), a runtime error
    # of the tool counted as a failure (seen on 3 of 14 runs at two workers).
    parser.add_argument("--workers", default="1", help="schemathesis workers")
    parser.add_argument("--roles", default="anonymous,customer,developer,admin")
    parser.add_argument(
        "--config", type=Path, default=CONFIG, help="schemathesis.toml; /dev/null shows every refusal, declared or not"
    )
    parser.add_argument("--database-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    args = parser.parse_args()
    if not SCHEMATHESIS.exists() or not DEVFORGE.exists():
        sys.exit("run this with the project's venv: .venv/bin/python bench/fuzz_api.py")
    out = BENCH / "results" / f"fuzz-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
    out.mkdir(parents=True)
    profiles = ["embedded", "production"] if args.profile == "both" else [args.profile]
    outcomes = [outcome for profile in profiles for outcome in fuzz_profile(profile, args, out)]
    report = table(outcomes, args)
    print("\n" + report)
    (out / "summary.md").write_text(report + "\n")
    progress(f"written to {out.relative_to(BENCH.parent)}")
    return 0 if all(_clean(outcome) for outcome in outcomes) else 1


def fuzz_profile(profile: str, args: argparse.Namespace, out: Path) -> list[Outcome]:
    progress(f"--- profile {profile}")
    with (
        tempfile.TemporaryDirectory(prefix=f"devforge-fuzz-{profile}-") as scratch,
        running_instance(profile, Path(scratch), args.database_url, args.redis_url) as instance,
    ):
        callers = make_callers(instance.url, DEVFORGE, instance.env)
        wanted = args.roles.split(",")
        outcomes = [fuzz_as(instance, caller, args, out) for caller in callers if caller.role in wanted]
        logged = instance.count_logged_server_errors()
    return [_with_logged(outcome, logged) for outcome in outcomes]


def fuzz_as(instance: Instance, caller: Caller, args: argparse.Namespace, out: Path) -> Outcome:
    name = f"{instance.profile}-{caller.role}"
    report_path = out / f"{name}.json"
    command = [str(SCHEMATHESIS), "--config-file", str(args.config), "run", f"{instance.url}/schema/openapi.json"]
    command += ["--checks", CHECKS]
    command += ["--phases", "examples,coverage,fuzzing", "--max-examples", str(args.max_examples)]
    command += ["--seed", str(args.seed), "--workers", args.workers, "--request-timeout", "30"]
    command += ["--suppress-health-check", "all", "--report", "json", "--report-json-path", str(report_path)]
    if caller.token is not None:
        command += ["--header", f"Authorization: Bearer {caller.token}"]
        for path in SESSION_ENDING:
            command += ["--exclude-path", path]
    shown = shlex.join(command).replace(caller.token or "\0", "<token>")
    progress(f"{name}: {shown}")
    with (out / f"{name}.log").open("w") as log:
        subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, timeout=6 * 3600, check=False)
    return summarize(instance.profile, caller.role, json.loads(report_path.read_text()))


def summarize(profile: str, role: str, report: dict[str, object]) -> Outcome:
    failures: list[dict[str, object]] = report["failures"]  # type: ignore[assignment]
    counts = {"server": 0, "refused": 0, "other": 0}
    failing: set[str] = set()
    for failure in failures:
        kind = {"ServerError": "server", "RejectedPositiveData": "refused"}.get(str(failure["type"]), "other")
        counts[kind] += int(failure["count"])  # type: ignore[call-overload]
        failing.update(f"{failure['type']}: {operation}" for operation in failure["operations"])  # type: ignore[attr-defined]
    errors: list[object] = report["errors"]  # type: ignore[assignment]
    counts["other"] += len(errors)
    return Outcome(
        profile=profile,
        role=role,
        operations=int(report["operations"]["tested"]),  # type: ignore[index]
        generated=int(report["test_cases"]["generated"]),  # type: ignore[index]
        server_errors=counts["server"],
        refused_valid=counts["refused"],
        other_failures=counts["other"],
        failing_operations=sorted(failing),
        logged_500s=0,
    )


def _with_logged(outcome: Outcome, logged: int) -> Outcome:
    return Outcome(**{**outcome.__dict__, "logged_500s": logged})


def _clean(outcome: Outcome) -> bool:
    return not (outcome.server_errors or outcome.refused_valid or outcome.other_failures or outcome.logged_500s)


def table(outcomes: list[Outcome], args: argparse.Namespace) -> str:
    lines = [
        f"# devforge fuzz, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"`{shlex.join([os.path.relpath(sys.executable), *sys.argv])}`: schemathesis checks `{CHECKS}`, "
        f"phases examples, coverage and fuzzing, {args.max_examples} examples per operation, seed {args.seed}, "
        f"declared statuses from `{os.path.relpath(args.config)}`.",
        "",
        "| profile | caller | operations | requests generated | server errors | schema-valid refused "
        "| other failures | 500s in the service log |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for o in outcomes:
        lines.append(
            f"| {o.profile} | {o.role} | {o.operations} | {o.generated:,} | {o.server_errors} | {o.refused_valid} "
            f"| {o.other_failures} | {o.logged_500s} |"
        )
    failing = [f"- {o.profile} {o.role}: {item}" for o in outcomes for item in o.failing_operations]
    return "\n".join(lines + (["", *failing] if failing else []))


if __name__ == "__main__":
    sys.exit(main())
