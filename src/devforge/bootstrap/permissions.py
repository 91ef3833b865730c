"""The role table of the running system: every context's grants, as each context's module
(``bootstrap/contexts/<context>.py``) declares them. The container builds the same table from
the contexts it was given; this one is for code and tests that want it without a container."""

from __future__ import annotations

from devforge.bootstrap.contexts import CONTEXTS

ROLE_TABLE = CONTEXTS.role_table()
