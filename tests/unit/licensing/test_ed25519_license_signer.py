"""The key ring: ids, rotation, publication and storage (without leaking key material)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from devforge.adapters.security.ed25519_license_signer import Ed25519LicenseSigner
from devforge.application.licensing.signing import SigningKeyStatus


def test_rotation_publishes_the_new_key_first_and_keeps_the_old_one_retired() -> None:
    signer = Ed25519LicenseSigner.generate()
    old = signer.active_key_id()
    new = signer.rotate()

    published = signer.public_keys()
    assert [(key.key_id, key.status) for key in published] == [
        (new, SigningKeyStatus.ACTIVE),
        (old, SigningKeyStatus.RETIRED),
    ]
    assert all(len(key.public_key) == 32 for key in published)
    assert signer.sign(b"message")[0] == new


def test_the_active_key_cannot_be_removed() -> None:
    signer = Ed25519LicenseSigner.generate()

    with pytest.raises(ValueError, match="rotate"):
        signer.remove(signer.active_key_id())


def test_a_ring_saved_to_a_directory_loads_back_the_same_keys_readable_by_the_owner_only(tmp_path: Path) -> None:
    directory = tmp_path / "license-keys"
    first = Ed25519LicenseSigner.load_or_create(directory)
    first.rotate()
    first.save(directory)

    again = Ed25519LicenseSigner.load_or_create(directory)

    assert again.public_keys() == first.public_keys()
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in directory.iterdir())


def test_the_signer_never_shows_key_material() -> None:
    signer = Ed25519LicenseSigner.generate()

    assert "PRIVATE" not in repr(signer)
    assert repr(signer) == f"Ed25519LicenseSigner(active={signer.active_key_id()!r}, keys=1)"
