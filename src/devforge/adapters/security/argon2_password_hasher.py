from __future__ import annotations

import secrets

from argon2 import PasswordHasher as _Argon2
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError

from devforge.adapters.security.hashing_pool import HashingPool, cores_available


class Argon2PasswordHasher:
    """Argon2id, defaulting to the OWASP minimum (m=19 MiB, t=2, p=1).

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
        self._dummy_hash = self._argon2.hash(secrets.token_urlsafe(16))

    def ensure_room(self) -> None:
        self._pool.ensure_room()

    async def hash(self, password: str) -> str:
        return await self._pool.run(self._argon2.hash, password)

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

    def _check(self, password_hash: str, password: str) -> bool:
        try:
            return self._argon2.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
