"""What Argon2id at the configured cost lets sign-in reach on this machine, in-process.

    .venv/bin/python bench/password_hashing.py                 # glibc as the server sets it
    .venv/bin/python bench/password_hashing.py --untuned --clients 32
    .venv/bin/python bench/password_hashing.py --library argon2-cffi    # the hashing before libsodium
    .venv/bin/python bench/password_hashing.py --memory-kib 7168 --time-cost 5   # OWASP's other end

Times single verifications one after another (the cost of one hash on one core), then
``--clients`` verifications at once on the server's ``HashingPool`` (one thread per core), and
prints the wait a client of a closed loop of that many sees: every request queues behind the
others, so no amount of asynchronous code takes p50 below clients x hash time / workers.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from argon2 import PasswordHasher as Argon2Cffi
from argon2 import Type

from devforge.adapters.security.argon2_password_hasher import Argon2PasswordHasher
from devforge.adapters.security.hashing_pool import HashingPool, cores_available
from devforge.bootstrap.allocator import tune_allocator

PASSWORD = "correct horse battery staple"  # noqa: S105 - a sample to hash, not a credential


class Argon2CffiVerifier(Argon2PasswordHasher):
    """The adapter with argon2-cffi's verification in place of libsodium's: the same parameters,
    pool and dummy-hash path, so the two libraries are compared on equal terms."""

    def __init__(self, pool: HashingPool, time_cost: int, memory_cost_kib: int) -> None:
        super().__init__(time_cost=time_cost, memory_cost_kib=memory_cost_kib, pool=pool)
        self._cffi = Argon2Cffi(time_cost=time_cost, memory_cost=memory_cost_kib, parallelism=1, type=Type.ID)

    def _check(self, password_hash: str, password: str) -> bool:
        return self._cffi.verify(password_hash, password)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=30, help="single verifications timed")
    parser.add_argument("--workers", type=int, default=cores_available())
    parser.add_argument("--untuned", action="store_true", help="leave glibc's malloc as it comes")
    parser.add_argument("--time-cost", type=int, default=2, help="t; the server's default is 2")
    parser.add_argument("--memory-kib", type=int, default=19456, help="m in KiB; the server's default is 19456")
    parser.add_argument(
        "--library",
        choices=["libsodium", "argon2-cffi"],
        default="libsodium",
        help="whose Argon2 verifies: the server's (libsodium) or argon2-cffi's, which it used before",
    )
    args = parser.parse_args()
    tuned = {} if args.untuned else tune_allocator()
    pool = HashingPool(args.workers)
    hasher = Argon2PasswordHasher(time_cost=args.time_cost, memory_cost_kib=args.memory_kib, pool=pool)
    if args.library == "argon2-cffi":
        hasher = Argon2CffiVerifier(pool, args.time_cost, args.memory_kib)
    stored = await hasher.hash(PASSWORD)
    singles = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        await hasher.verify(stored, PASSWORD)
        singles.append(time.perf_counter() - started)
    started = time.perf_counter()
    await asyncio.gather(*(hasher.verify(stored, PASSWORD) for _ in range(args.clients)))
    burst = time.perf_counter() - started
    pool.close()
    one, median = min(singles), statistics.median(singles)
    shape = f"m = {args.memory_kib} KiB, t = {args.time_cost}, p = 1"
    print(f"Argon2id ({shape}) by {args.library}; allocator: {tuned or 'as glibc comes'}; workers {args.workers}")
    print(f"one verification: {one * 1000:.1f} ms at least, {median * 1000:.1f} ms median of {args.rounds}")
    print(f"{args.clients} at once: all done in {burst * 1000:.0f} ms ({args.clients / burst:.1f} a second)")
    print(
        f"a closed loop of {args.clients} clients waits about {args.clients * one / args.workers * 1000:.0f} ms "
        f"per sign-in for hashing alone (best single time), "
        f"{args.clients * median / args.workers * 1000:.0f} ms (median)"
    )


if __name__ == "__main__":
    asyncio.run(main())
