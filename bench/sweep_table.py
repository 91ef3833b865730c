"""The sweep's table: one row per route, ratios to the mean of the bare rows of the same run."""

from __future__ import annotations

from statistics import mean

from harness import Load
from sweep_routes import Target

SLOW_MS = 200.0  # the seed's success criterion: an API response under 200 ms


def table(
    profile: str,
    rows: list[tuple[Target, tuple[Load, str, float | None, str]]],
    skipped: list[tuple[str, str]],
    memory: str,
    connections: int,
) -> tuple[str, list[str]]:
    """(the table, the labels of the routes with errors or no answer)."""

    def bare_rps(path: str) -> float | None:
        found = [
            load.requests_per_second
            for target, (load, *_) in rows
            if target.label.startswith(f"bare Litestar GET {path} ") or target.label == f"bare Litestar GET {path}"
        ]
        return mean(found) if found else None

    plain, row = bare_rps("/"), bare_rps("/row")
    lines = [
        f"\n## sweep: {profile}, {connections} connections\n",
        "| route | as | req/s | vs bare GET / | vs bare GET /row | p50 ms | p99 ms | errors | p99 over 200 ms "
        "| API CPU µs/request | API loop: on CPU / waiting for a CPU / asleep |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    slow, failing = [], []
    for target, (load, status, cpu, loop) in rows:
        rps = load.requests_per_second
        stalled = load.requests == 0  # not one answer within the run: slower than its length, or stuck
        over = load.p99_ms > SLOW_MS or stalled
        errors = str(load.errors) + (f" (first call {status})" if status and not status.startswith("2") else "")
        errors += " (no request completed)" if stalled else ""
        broken = load.errors or stalled or (status and not status.startswith("2"))
        cells = [
            target.label,
            target.role,
            f"{rps:,.0f}",
            f"{rps / plain:.3f}x" if plain else "-",
            f"{rps / row:.3f}x" if row else "-",
            f"{load.p50_ms:.1f}",
            f"**{load.p99_ms:.1f}**" if over else f"{load.p99_ms:.1f}",
            f"**{errors}**" if broken else errors,
            "**over**" if over else "",
            f"{cpu:,.0f}" if cpu is not None else "-",
            loop or "-",
        ]
        lines.append("| " + " | ".join(cells) + " |")
        slow += [f"{target.label} ({load.p99_ms:.0f} ms)"] if over and not target.label.startswith("bare") else []
        failing += [target.label] if broken else []
    routes = len(rows) - sum(target.label.startswith("bare") for target, _ in rows)
    lines.append(
        f"\n{routes} routes measured; p99 over {SLOW_MS:.0f} ms: {len(slow)}; with errors or no answer: {len(failing)}."
    )
    if skipped:
        lines.append("\nNot called (no seeded data for them):\n")
        lines += [f"- `{route}`: {why}" for route, why in skipped]
    else:
        lines.append("Every GET route of the OpenAPI document was called.")
    lines.append(
        "\nAPI CPU µs/request: the API process's CPU time (every thread, user + system, /proc) during the"
        " measured run over the requests wrk completed in it: what a request costs the server, which a"
        " busy machine moves far less than req/s. API loop: how the API process's main thread (its event"
        " loop's) spent the measured run, from the scheduler (/proc/<pid>/task/<pid>/schedstat): on a CPU,"
        " runnable but waiting for a CPU (the machine is loaded), asleep (nothing to do, or waiting on a lock,"
        " a thread, the disk). A slow route whose loop is never asleep is short of CPU, not waiting on something."
    )
    lines.append(f"\nResident memory (VmRSS) of the API process: {memory}.")
    return "\n".join(lines), failing
