"""What a password must be before it is hashed (OWASP ASVS 2.1).

A password holds 8 to 128 characters (any Unicode, spaces included, never truncated) and is
not one of the 3,000 most common passwords, compared case-insensitively.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from devforge.domain.identity.errors import PasswordRejected

MIN_LENGTH = 8
MAX_LENGTH = 128


@cache
def _common_passwords() -> frozenset[str]:
    text = files("devforge.domain.identity").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def check_password(password: str) -> None:
    """Raise ``PasswordRejected`` naming the rule the password breaks."""
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(f"Use at least {MIN_LENGTH} characters.", field="password")
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(f"Use at most {MAX_LENGTH} characters.", field="password")
    if password.casefold() in _common_passwords():
        raise PasswordRejected("This password is among the most common ones; choose another.", field="password")
