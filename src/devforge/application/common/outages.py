"""Telling an outage from a failure of the work itself."""

from __future__ import annotations

from typing import Protocol


class OutageDetector(Protocol):
    """Says whether an error means a server we depend on could not be reached (refused, reset,
    timed out, shutting down, "try again later") rather than that the work itself went wrong.
    Work that failed on an outage is tried again until the server is back; any other failure
    counts toward the dead-letter limit. Pure: no I/O, not transactional."""

    def is_outage(self, error: BaseException) -> bool: ...
