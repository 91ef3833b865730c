"""A ClickHouse server for the production bench, in a process of its own: the test suite's fake
(tests/fakes/clickhouse_http.py, ClickHouse's HTTP interface answered by chDB). Production's API
and worker talk to it over ClickHouse's HTTP interface, as they would to a server, so chDB's
~290 MiB is this process's and never the API's.

    .venv/bin/python bench/clickhouse_standin.py --port 8123 --data-dir /tmp/ch
    # user ``analytics``, password ``s3cret``; GET /ping answers ``Ok.``; stops on SIGTERM
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fakes.clickhouse_http import fake_clickhouse

from devforge.adapters.analytics.chdb_store import ChdbEngine


def main() -> int:
    parser = argparse.ArgumentParser(description="ClickHouse's HTTP interface on chDB, for the production bench")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    engine = ChdbEngine(args.data_dir)
    try:
        with fake_clickhouse(engine, port=args.port) as server:
            print(f"ClickHouse stand-in on {server.url}", flush=True)
            stop.wait()
    finally:
        engine.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
