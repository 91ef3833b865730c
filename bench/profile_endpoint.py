"""Where one endpoint spends its time: py-spy samples ``devforge serve`` while wrk loads the endpoint.

Starts one API process (production: on the bench database, which it recreates; embedded: in a
scratch data dir), signs a user in when ``--bearer`` is given, runs wrk for ``--duration`` seconds
and py-spy beside it, then prints the functions holding the most samples, inclusive (the stack
below them included) and self. py-spy is not a project dependency: pass its path (``--py-spy``),
e.g. from ``uv tool install py-spy``.

    .venv/bin/python bench/profile_endpoint.py --path /health/live --py-spy ~/.local/bin/py-spy
    .venv/bin/python bench/profile_endpoint.py --path /api/auth/me --bearer --profile production
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from harness import reset_production, sign_in, wait_ready, wrk_binary, wrk_run
from run import DEVFORGE, clickhouse_standin, devforge_env, free_port, serving


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default="/health/live")
    parser.add_argument("--bearer", action="store_true", help="send a signed-in user's access token")
    parser.add_argument("--profile", choices=["embedded", "production"], default="production")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--rate", type=int, default=250, help="py-spy samples per second")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--py-spy", default="py-spy")
    parser.add_argument("--database-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/devforge_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--raw-out", type=Path, help="keep py-spy's collapsed stacks here")
    args = parser.parse_args()
    wrk = wrk_binary()
    with tempfile.TemporaryDirectory(prefix="devforge-profile-") as scratch, contextlib.ExitStack() as stack:
        workdir, port = Path(scratch), free_port()
        clickhouse = stack.enter_context(clickhouse_standin(workdir)) if args.profile == "production" else ""
        env = devforge_env(args.profile, workdir / "data", port, args, clickhouse)
        if args.profile == "production":
            reset_production(args.database_url, args.redis_url)
        subprocess.run([str(DEVFORGE), "migrate"], env=env, timeout=120, check=True, capture_output=True)
        url = f"http://127.0.0.1:{port}"
        with serving("devforge", [str(DEVFORGE), "serve"], env, workdir) as api:
            wait_ready(f"{url}/health/live", "devforge", api)
            headers = [f"Authorization: Bearer {sign_in(url)}"] if args.bearer else []
            wrk_run(wrk, url + args.path, headers, 2, args.connections)  # warm-up
            raw = args.raw_out or workdir / "stacks.txt"
            spy = [args.py_spy, "record", "--pid", str(api.pid), "--rate", str(args.rate), "--format", "raw"]
            spy += ["--duration", str(args.duration), "--output", str(raw), "--nonblocking"]
            with subprocess.Popen(spy, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as recorder:
                load = wrk_run(wrk, url + args.path, headers, args.duration, args.connections)
                recorder.wait(timeout=args.duration + 30)
        print(f"{args.path} ({args.profile}): {load.requests_per_second:,.0f} req/s, p99 {load.p99_ms:.1f} ms\n")
        print(report(raw.read_text(), args.top))
    return 0


def report(collapsed: str, top: int) -> str:
    """Inclusive and self samples per function (file:function), from py-spy's collapsed stacks."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = [_short(frame) for frame in stack.split(";")]
        for frame in set(frames):
            inclusive[frame] += count
        own[frames[-1]] += count
    lines = [f"{total} samples", "", "inclusive %  self %  function"]
    for frame, count in inclusive.most_common(top):
        lines.append(f"{100 * count / total:10.1f}  {100 * own[frame] / total:6.1f}  {frame}")
    lines += ["", "self %  function"]
    lines += [f"{100 * count / total:6.1f}  {frame}" for frame, count in own.most_common(top)]
    return "\n".join(lines)


def _short(frame: str) -> str:
    """``function (path/to/module.py:12)`` -> ``module.py:function``: lines differ, functions add up."""
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    parts = Path(path).parts
    for anchor in ("site-packages", "src"):
        if anchor in parts:
            parts = parts[parts.index(anchor) + 1 :]
            break
    return f"{'/'.join(parts[-3:])}:{name}"


if __name__ == "__main__":
    sys.exit(main())
