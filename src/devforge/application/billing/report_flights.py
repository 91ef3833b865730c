"""Financial reports asked at once share one reading (``SharedReadings``: single flight, per
process, nothing kept).

- A report's answer does not depend on who asks (finance:read sees the whole company's figures),
  so its key is the report and its period; each caller's permission is checked first, in its own
  use case.
- Nothing is kept: an answer is never older than the moment the reading its caller joined began.

Why: a report costs a few milliseconds of CPU (SQL, folding days into intervals); a finance
team's dashboard opened by many at once, or a client retrying, repeated all of it per caller
(bench/README.md, the sweep: 32 concurrent readers of one report, p99 over 200 ms)."""

from __future__ import annotations

from devforge.application.common.shared_readings import SharedReadings


class ReportFlights(SharedReadings):
    """One per process (bootstrap): the financial reports and tax years being read now."""
