"""glibc's malloc, set for a long-lived server process (bench/README.md, "Memory").

Left alone, glibc raises its mmap threshold to the largest block freed so far (up to 32 MiB): after
the first Argon2 hash (19 MiB) or file chunk (256 KiB) is freed, later ones come from the heap
arenas instead of fresh mappings, and an arena gives memory back only from its top, so a process
kept every such block it ever held, once per arena: 8 per core, one per thread that met
contention. A fixed threshold sends each block of 128 KiB or more to its own mapping, returned to
the system when freed; two arenas bound what the threads' small blocks can scatter over. The
threads here (the default executor, password hashing, SQLite) spend their time in I/O and C code,
not in malloc, so fewer arenas cost no measurable contention.

Environment variables an operator set (``MALLOC_MMAP_THRESHOLD_``, ``MALLOC_ARENA_MAX`` or
``GLIBC_TUNABLES``) win: nothing they name is changed. Off glibc (musl, macOS) this does nothing.
"""

from __future__ import annotations

import ctypes
import os
import sys

M_MMAP_THRESHOLD = -3  # glibc's malloc.h
M_ARENA_MAX = -8
MMAP_THRESHOLD_BYTES = 128 * 1024
ARENA_MAX = 2


def tune_allocator() -> dict[str, int]:
    """Applies the settings above that the environment does not name; answers what it set."""
    if not sys.platform.startswith("linux"):
        return {}
    libc = ctypes.CDLL(None)
    if not hasattr(libc, "gnu_get_libc_version") or not hasattr(libc, "mallopt"):
        return {}
    tunables = os.environ.get("GLIBC_TUNABLES", "")
    wanted = {
        "mmap_threshold": (M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES, "MALLOC_MMAP_THRESHOLD_"),
        "arena_max": (M_ARENA_MAX, ARENA_MAX, "MALLOC_ARENA_MAX"),
    }
    applied: dict[str, int] = {}
    for name, (option, value, variable) in wanted.items():
        if variable in os.environ or f"glibc.malloc.{name}" in tunables:
            continue
        if libc.mallopt(ctypes.c_int(option), ctypes.c_int(value)) == 1:
            applied[name] = value
    return applied
