"""Give the C allocator's free memory back to the operating system after a bulk build.

CPython's objects come from glibc's malloc; what a bulk build frees (rows read, temporary lists)
stays in the heap, counted in the process's resident memory, until the heap's top is free, which
is rare in a long-lived server. ``malloc_trim(0)`` releases every free page of every arena
(madvise), at a cost of milliseconds: it is called after a build of tens of thousands of
objects, not per request. Elsewhere than glibc (musl, macOS) it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache


@cache
def _malloc_trim() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    name = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except OSError:
        return None


def release_free_memory() -> bool:
    """True when the allocator was asked to (glibc), False when there is none to ask."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
