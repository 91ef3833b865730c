"""Running a check: whatever happens inside it, the caller gets a ``CheckResult``.

A check that raises is ERRORED, with the exception shown to administrators only (a check that
could not read an unsafe archive is SKIPPED: nothing crashed, archive safety says why); a check that
returns something other than its own result is ERRORED too. The verdict then decides, by the
check's *required* switch, whether that blocks.
"""

from __future__ import annotations

import traceback
from typing import Protocol

from devforge.domain.marketplace.errors import ArchiveUnsafe
from devforge.domain.marketplace.package import ExtensionPackage
from devforge.domain.marketplace.review import CheckResult


class ReviewCheck(Protocol):
    @property
    def name(self) -> str: ...

    def run(self, package: ExtensionPackage) -> CheckResult: ...


def run_check(check: ReviewCheck, package: ExtensionPackage) -> CheckResult:
    name = str(getattr(check, "name", type(check).__name__))
    try:
        result = check.run(package)
    except ArchiveUnsafe:  # archive safety refuses the package and says why; this check had nothing to read
        return CheckResult.skipped(name, "the archive is unsafe, so its files were not read.")
    except Exception as error:
        detail = "".join(traceback.format_exception(error))
        return CheckResult.errored(name, detail)
    if not isinstance(result, CheckResult) or result.check != name:
        return CheckResult.errored(name, f"The check returned {result!r} instead of its own result.")
    return result
