"""Plausible's rule for counting visitors without keeping their addresses: the address is hashed
with a salt that is made for one day and thrown away after it, so the same address gives the
same hash within a day and an unlinkable one the next; the address itself is never stored."""

from __future__ import annotations

import hashlib


def visitor_hash(salt: bytes, address: str) -> str:
    return hashlib.blake2b(address.encode(), key=salt[:64], digest_size=8).hexdigest()
