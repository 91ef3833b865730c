from __future__ import annotations

import secrets

from argon2 import PasswordHasher as _Argon2
from argon2 import Type
from argon2.exceptions import InvalidHashError
from nacl.exceptions import CryptoError
from nacl.pwhash import argon2id as sodium_argon2id

from devforge.adapters.security.hashing_pool import HashingPool, cores_available


class Argon2PasswordHasher:
    """Argon2id, defaulting to the OWASP minimum (m=19 MiB, t=2, p=1).

    The hashing itself is libsodium's (PyNaCl), which picks its Argon2 implementation for the CPU
    at run time (AVX-512F, AVX2, SSSE3): the same standard hash (``$argon2id$v=19$...``; each
    library verifies the other's) in about half the CPU time of argon2-cffi's on this machine
    (``bench/password_hashing.py --library``). argon2-cffi stays for reading a stored hash's parameters
    (``needs_rehash``) and for making hashes with more than one lane, which libsodium does not
    make (it verifies them).

    Hashing is CPU- and memory-bound, so it runs off the event loop on a ``HashingPool`` of its
    own (by default one thread per core): at most that many hashes at once, the rest queued.
    ``verify`` answers False for a wrong password or a hash it cannot read, never raising; with
    no hash (no such account) it verifies against a dummy hash made at start-up with the same
    parameters, so the answer takes as long as a real check. A hash made with other parameters
    (or one argon2 cannot read) needs rehashing, which the login use case does on success."""

    def __init__(
        self,
        time_cost: int = 2,
        memory_cost_kib: int = 19456,
        parallelism: int = 1,
        pool: HashingPool | None = None,
    ) -> None:
        self._pool = pool or HashingPool(cores_available())
        self._argon2 = _Argon2(time_cost=time_cost, memory_cost=memory_cost_kib, parallelism=parallelism, type=Type.ID)
        self._time_cost, self._memory_bytes = time_cost, memory_cost_kib * 1024
        self._sodium = parallelism == 1
        self._dummy_hash = self._hash(secrets.token_urlsafe(16))

    def ensure_room(self) -> None:
        self._pool.ensure_room()

    async def hash(self, password: str) -> str:
        return await self._pool.run(self._hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        if password_hash is None:
            await self._pool.run(self._check, self._dummy_hash, password)
            return False
        return await self._pool.run(self._check, password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._argon2.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True

    def _hash(self, password: str) -> str:
        if not self._sodium:
            return self._argon2.hash(password)
        encoded = sodium_argon2id.str(password.encode(), opslimit=self._time_cost, memlimit=self._memory_bytes)
        return encoded.decode("ascii")

    def _check(self, password_hash: str, password: str) -> bool:
        """libsodium verifies every Argon2i and Argon2id hash, one lane or several; a wrong
        password and a hash it cannot read both raise, and both are a plain no."""
        try:
            return sodium_argon2id.verify(password_hash.encode(), password.encode())
        except (CryptoError, UnicodeEncodeError):
            return False
