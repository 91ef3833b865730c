"""The ``PasswordHasher`` contract, run on the fast in-memory fake and on Argon2id (with small
parameters for speed), plus Argon2's own rules: OWASP-strength defaults, no exceptions for bad
input, and an unknown account costing as much as a known one."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from argon2 import PasswordHasher as Argon2Cffi
from argon2 import Type, extract_parameters

from devforge.adapters.memory.security import InMemoryPasswordHasher
from devforge.adapters.security.argon2_password_hasher import Argon2PasswordHasher

Hasher = InMemoryPasswordHasher | Argon2PasswordHasher
PASSWORD = "correct horse battery staple"


@dataclass
class HashersUnderTest:
    hasher: Hasher
    stronger: Hasher  # the same adapter after its parameters were raised


@pytest.fixture(params=["memory", "argon2"])
def subject(request: pytest.FixtureRequest) -> HashersUnderTest:
    if request.param == "memory":
        return HashersUnderTest(InMemoryPasswordHasher(version=1), InMemoryPasswordHasher(version=2))
    return HashersUnderTest(
        Argon2PasswordHasher(time_cost=1, memory_cost_kib=1024), Argon2PasswordHasher(time_cost=2, memory_cost_kib=1024)
    )


async def test_the_right_password_verifies(subject: HashersUnderTest) -> None:
    assert await subject.hasher.verify(await subject.hasher.hash(PASSWORD), PASSWORD) is True


@pytest.mark.parametrize("attempt", ["", "correct horse battery stapl", "Correct horse battery staple", PASSWORD + " "])
async def test_any_other_password_does_not(subject: HashersUnderTest, attempt: str) -> None:
    assert await subject.hasher.verify(await subject.hasher.hash(PASSWORD), attempt) is False


async def test_no_account_never_verifies(subject: HashersUnderTest) -> None:
    assert await subject.hasher.verify(None, PASSWORD) is False
    assert await subject.hasher.verify(None, "") is False


async def test_hashes_are_salted_and_do_not_contain_the_password(subject: HashersUnderTest) -> None:
    first, second = await subject.hasher.hash(PASSWORD), await subject.hasher.hash(PASSWORD)
    assert first != second
    assert PASSWORD not in first
    assert await subject.hasher.verify(second, PASSWORD) is True


async def test_non_ascii_passwords_are_kept_exactly(subject: HashersUnderTest) -> None:
    stored = await subject.hasher.hash("pässwörd-密码-🔑")
    assert await subject.hasher.verify(stored, "pässwörd-密码-🔑") is True
    assert await subject.hasher.verify(stored, "passwörd-密码-🔑") is False


async def test_a_fresh_hash_needs_no_rehash(subject: HashersUnderTest) -> None:
    assert subject.hasher.needs_rehash(await subject.hasher.hash(PASSWORD)) is False


async def test_after_strengthening_old_hashes_still_verify_but_need_a_rehash(subject: HashersUnderTest) -> None:
    old = await subject.hasher.hash(PASSWORD)
    assert await subject.stronger.verify(old, PASSWORD) is True
    assert subject.stronger.needs_rehash(old) is True
    assert subject.stronger.needs_rehash(await subject.stronger.hash(PASSWORD)) is False


async def test_argon2_defaults_meet_the_owasp_minimum_with_argon2id() -> None:
    stored = await Argon2PasswordHasher().hash(PASSWORD)
    parameters = extract_parameters(stored)
    assert stored.startswith("$argon2id$")
    assert parameters.type is Type.ID
    assert parameters.memory_cost >= 19456
    assert parameters.time_cost >= 2
    assert parameters.parallelism >= 1


@pytest.mark.parametrize(
    "stored",
    ["", "not a hash", "$argon2id$v=19$m=1024,t=1,p=1$broken", "fake$1$00ff$abc", "$2b$12$" + "a" * 53],
)
async def test_argon2_answers_false_for_a_hash_it_cannot_read_and_wants_it_replaced(stored: str) -> None:
    hasher = Argon2PasswordHasher(time_cost=1, memory_cost_kib=1024)
    assert await hasher.verify(stored, PASSWORD) is False
    assert hasher.needs_rehash(stored) is True


async def test_argon2_does_the_same_work_for_an_unknown_account_as_for_a_known_one() -> None:
    """Counted, not timed: an unknown account runs one full Argon2 verification with the same
    parameters as a real one (timings are too noisy on shared machines to assert on)."""

    class CountingHasher(Argon2PasswordHasher):
        def __init__(self) -> None:
            super().__init__(time_cost=2, memory_cost_kib=8192)
            self.checked: list[str] = []

        def _check(self, password_hash: str, password: str) -> bool:
            self.checked.append(password_hash)
            return super()._check(password_hash, password)

    hasher = CountingHasher()
    stored = await hasher.hash(PASSWORD)
    assert await hasher.verify(None, PASSWORD) is False
    assert await hasher.verify(stored, PASSWORD) is True
    dummy, real = hasher.checked
    assert dummy != real
    assert extract_parameters(dummy) == extract_parameters(real)


@pytest.mark.parametrize("parallelism", [1, 4])
async def test_argon2_verifies_the_hashes_argon2_cffi_made_before_libsodium_did_the_hashing(parallelism: int) -> None:
    """Accounts registered before the switch keep signing in: argon2-cffi's hashes (one lane
    or several) verify, and wrong passwords against them do not."""
    stored = Argon2Cffi(time_cost=1, memory_cost=1024, parallelism=parallelism, type=Type.ID).hash(PASSWORD)
    hasher = Argon2PasswordHasher(time_cost=1, memory_cost_kib=1024, parallelism=parallelism)
    assert await hasher.verify(stored, PASSWORD) is True
    assert await hasher.verify(stored, PASSWORD + "!") is False
    assert hasher.needs_rehash(stored) is False


@pytest.mark.parametrize("parallelism", [1, 2])
async def test_argon2_hashes_are_standard_ones_argon2_cffi_verifies(parallelism: int) -> None:
    hasher = Argon2PasswordHasher(time_cost=2, memory_cost_kib=2048, parallelism=parallelism)
    stored = await hasher.hash(PASSWORD)
    parameters = extract_parameters(stored)
    assert (parameters.type, parameters.time_cost, parameters.memory_cost) == (Type.ID, 2, 2048)
    assert parameters.parallelism == parallelism
    assert Argon2Cffi().verify(stored, PASSWORD) is True


async def test_argon2_answers_false_for_a_password_that_is_not_unicode_text() -> None:
    hasher = Argon2PasswordHasher(time_cost=1, memory_cost_kib=1024)
    assert await hasher.verify(await hasher.hash(PASSWORD), "\ud800") is False
