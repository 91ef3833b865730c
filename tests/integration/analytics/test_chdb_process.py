"""chDB in a child process (the embedded profile's engine): it answers what chDB in the process
answers, passes chDB's refusals on as their text, is replaced when it dies (a read is asked
again, a write is refused), holds its data directory alone, and leaves no process behind."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from devforge.adapters.analytics.chdb_process import ChdbEngineUnavailable, ChdbProcessEngine, ChdbStatementError


def gone(pid: int) -> bool:
    """No such process, not even a zombie (the engine joined it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_the_child_answers_refuses_with_chdbs_text_survives_a_kill_and_stops_with_close(tmp_path: Path) -> None:
    engine = ChdbProcessEngine(tmp_path / "chdb")
    try:
        assert engine.child_pid() is None  # started at the first statement, not before
        engine.run("CREATE TABLE default.t (x UInt32) ENGINE = MergeTree ORDER BY x")
        engine.run("INSERT INTO default.t FORMAT JSONEachRow " + "".join(f'{{"x": {n}}}' for n in range(1000)))
        assert engine.run("SELECT count(), sum(x) FROM default.t", "JSONCompactEachRow") == b"[1000, 499500]\n"
        with pytest.raises(ChdbStatementError, match="UNKNOWN_TABLE"):
            engine.run("SELECT * FROM default.missing")
        first = engine.child_pid()
        assert first is not None and first != os.getpid()

        os.kill(first, signal.SIGKILL)  # a read is asked again of a fresh child, on the same data
        assert engine.run("SELECT count() FROM default.t") == b"1000\n"
        second = engine.child_pid()
        assert second not in (None, first) and gone(first)

        os.kill(second, signal.SIGKILL)  # a write is not: whether it was applied is unknown
        with pytest.raises(ChdbEngineUnavailable, match="ended during the statement"):
            engine.run("INSERT INTO default.t VALUES (7)")
        assert gone(second)
        assert engine.run("SELECT count() FROM default.t") == b"1000\n"
        last = engine.child_pid()
    finally:
        engine.close()
    assert engine.child_pid() is None and last is not None and gone(last)


def test_a_second_engine_on_the_same_directory_is_refused_and_the_first_goes_on(tmp_path: Path) -> None:
    first, second = ChdbProcessEngine(tmp_path / "chdb"), ChdbProcessEngine(tmp_path / "chdb")
    try:
        assert first.run("SELECT 1") == b"1\n"
        with pytest.raises(ChdbEngineUnavailable, match="another process use this data directory"):
            second.run("SELECT 1")
        assert second.child_pid() is None
        assert first.run("SELECT 2") == b"2\n"
    finally:
        first.close()
        second.close()
