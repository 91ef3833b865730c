"""The allocator settings of a served process: big blocks freed on any thread go back to the
system, and what an operator set in the environment is left as it is. Run in fresh interpreters
(the settings last for the process), measured in resident memory, never in time."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not hasattr(ctypes.CDLL(None), "gnu_get_libc_version"),
    reason="glibc only",
)

HASHES_ON_THREADS = """
import sys
from concurrent.futures import ThreadPoolExecutor
from devforge.bootstrap.allocator import tune_allocator

def rss_mib():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024

if sys.argv[1] == "tuned":
    tune_allocator()

def work(size):  # what an Argon2 hash (19 MiB) or a file chunk does: a block written, then freed
    block = bytearray(size)
    block[::4096] = b"x" * len(range(0, size, 4096))
    return len(block)

before = rss_mib()
with ThreadPoolExecutor(4) as threads:
    for _ in range(3):
        list(threads.map(work, [19 << 20] * 4 + [256 << 10] * 64))
print(rss_mib() - before)
"""


def kept_mib(mode: str) -> int:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MALLOC_", "GLIBC_TUNABLES"))}
    done = subprocess.run(
        [sys.executable, "-c", HASHES_ON_THREADS, mode], env=env, capture_output=True, text=True, check=True
    )
    return int(done.stdout)


def test_a_tuned_process_gives_back_big_blocks_freed_on_its_threads() -> None:
    assert kept_mib("tuned") < 19  # not even one hash's worth kept
    assert kept_mib("untuned") >= 19  # glibc's default, which it replaces, keeps them


def test_what_the_environment_names_is_left_to_the_environment() -> None:
    script = "from devforge.bootstrap.allocator import tune_allocator; print(sorted(tune_allocator()))"
    env = {**os.environ, "MALLOC_ARENA_MAX": "4"}
    env.pop("MALLOC_MMAP_THRESHOLD_", None)
    env.pop("GLIBC_TUNABLES", None)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['mmap_threshold']"
    env = {**env, "GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=65536"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
