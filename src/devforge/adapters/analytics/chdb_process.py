"""chDB in one child process: the ``ChdbEngine`` surface (``run(statement, output) -> bytes``)
with the engine in a process of its own (the embedded profile's path; tests and
``DEVFORGE_ANALYTICS_CHDB_PROCESS=false`` keep it in the process).

Why a child: chDB adds about 250 MiB resident to a process from its first statement on, and the
embedded API process runs statements on it all day (ingestion flushes, server facts, metrics,
live counters, forecasts). In a child those megabytes are the child's, and the serving process
stays the size of the rest of it.

- One child per engine (``spawn``: a fresh interpreter that imports chDB and nothing of the
  service), started at the first statement, not at start-up. It owns the chDB session and its
  data directory: chDB locks the directory (its ``status`` file), so exactly one process may
  open it, and a second (another ``devforge`` process on the same data dir) is refused with
  ``ChdbEngineUnavailable`` naming the directory, never let in beside the first.
- Statements go over a pipe as bytes (the output format, a newline, the statement) and come back
  as bytes (a status message, then the answer or chDB's error text, raised here as
  ``ChdbStatementError``, so the stores read ``TIMEOUT_EXCEEDED`` as they do from chDB itself).
  One statement at a time (a lock): chDB runs them one at a time in any case, and the thread
  that waits for the answer lets go of the GIL, as with chDB in the process.
- A child that dies (killed, out of memory) is reaped and the next statement starts a fresh one.
  The statement it had is read again once if it is a read (``SELECT``/``WITH``); a write answers
  ``ChdbEngineUnavailable`` (whether it was applied is unknown: the event buffer puts its events
  back, and the stores' uuid dedup makes a resend harmless).
- ``close`` asks the child to close its session and waits for it (``terminate`` after
  ``STOP_SECONDS``); a child also ends on its own when its parent dies (its pipe closes).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import threading
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

STOP_SECONDS = 10.0
_READY, _ANSWER, _REFUSED = b"ready", b"+", b"!"


class ChdbEngineUnavailable(RuntimeError):
    """The child could not open the data directory, or died with the statement."""


class ChdbStatementError(RuntimeError):
    """chDB refused the statement: its own message."""


class ChdbProcessEngine:
    def __init__(self, path: Path) -> None:
        self._path, self._lock = path, threading.Lock()
        self._child: BaseProcess | None = None
        self._pipe: Connection | None = None

    def run(self, statement: str, output: str = "CSV") -> bytes:
        request = output.encode() + b"\n" + statement.encode()
        attempts = 2 if statement.lstrip()[:4].upper() in ("SELE", "WITH") else 1
        with self._lock:
            for attempt in range(1, attempts + 1):
                pipe = self._started()
                try:
                    pipe.send_bytes(request)
                    status = pipe.recv_bytes()
                    answer = pipe.recv_bytes()
                except (EOFError, OSError) as error:
                    code = self._reap()
                    if attempt == attempts:
                        raise ChdbEngineUnavailable(
                            f"The analytics engine's process ended during the statement (exit code {code})."
                        ) from error
                    continue
                if status == _REFUSED:
                    raise ChdbStatementError(answer.decode(errors="replace"))
                return answer
        raise AssertionError("unreachable")

    def child_pid(self) -> int | None:
        """The child's process id, once started (None before the first statement and after ``close``)."""
        child = self._child
        return child.pid if child is not None else None

    def close(self) -> None:
        with self._lock:
            child, pipe = self._child, self._pipe
            self._child = self._pipe = None
            if child is None or pipe is None:
                return
            with contextlib.suppress(OSError):  # a child already dead has nothing to stop
                pipe.send_bytes(b"")
            child.join(STOP_SECONDS)
            if child.is_alive():
                child.terminate()
                child.join()
            pipe.close()

    def _started(self) -> Connection:
        if self._pipe is not None:
            return self._pipe
        ours, theirs = multiprocessing.Pipe()
        child = multiprocessing.get_context("spawn").Process(
            target=_serve, args=(theirs, str(self._path)), name="devforge-chdb", daemon=True
        )
        child.start()
        theirs.close()  # the child's end lives in the child only: its death closes the pipe
        try:
            hello = ours.recv_bytes()
        except EOFError:
            hello = b"the process ended before it opened the directory"
        if hello != _READY:
            ours.close()
            child.join(STOP_SECONDS)
            raise ChdbEngineUnavailable(
                f"chDB could not open {self._path} (does another process use this data directory?): "
                + hello.decode(errors="replace")
            )
        self._child, self._pipe = child, ours
        return ours

    def _reap(self) -> int | None:
        """The dead child joined (no zombie) and forgotten: the next statement starts another."""
        child, pipe = self._child, self._pipe
        self._child = self._pipe = None
        if pipe is not None:
            pipe.close()
        if child is None:
            return None
        child.join(STOP_SECONDS)
        if child.is_alive():  # the pipe broke but the process lives on: it goes too
            child.kill()
            child.join()
        return child.exitcode


def _serve(pipe: Connection, path: str) -> None:
    """In the child: open the session, then answer statements until told to stop (an empty
    request) or the parent goes (the pipe closes). Ctrl-C in a terminal is the parent's."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        from chdb import session as chdb_session

        Path(path).mkdir(parents=True, exist_ok=True)
        session: Any = chdb_session.Session(path)  # type: ignore[no-untyped-call]
    except Exception as error:  # the parent raises it, with the directory's name
        pipe.send_bytes(str(error).encode())
        return
    pipe.send_bytes(_READY)
    try:
        while request := _next(pipe):
            output, _, statement = request.partition(b"\n")
            try:
                answer = bytes(session.query(statement.decode(), output.decode()).bytes())
            except Exception as error:  # chDB's refusal goes back as its text
                pipe.send_bytes(_REFUSED)
                pipe.send_bytes(str(error).encode())
                continue
            pipe.send_bytes(_ANSWER)
            pipe.send_bytes(answer)
    finally:
        session.close()


def _next(pipe: Connection) -> bytes:
    try:
        return pipe.recv_bytes()
    except EOFError:
        return b""
