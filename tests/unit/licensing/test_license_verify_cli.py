"""``devforge license verify FILE``: exit 0 and a summary when valid, 1 and the reason when not."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from devforge.application.licensing.signing import public_keys_document
from devforge.domain.licensing.license_key import LicenseKey
from devforge.entrypoints.cli.main import main
from tests.unit.licensing.offline_world import FINGERPRINT, active_license, offline

FP = FINGERPRINT


@pytest.fixture
def checked_out(tmp_path: Path) -> tuple[Path, Path, str]:
    service, signer = offline()
    key = LicenseKey.generate()
    file = tmp_path / "license.lic"
    now = datetime.now(UTC)
    file.write_text(service.license_file(active_license(), fingerprint=FINGERPRINT, now=now, encrypt_for=key))
    keys = tmp_path / "public-keys.json"
    keys.write_text(json.dumps(public_keys_document(signer.public_keys())))
    return file, keys, str(key)


def test_a_valid_file_exits_0(checked_out: tuple[Path, Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    file, keys, key = checked_out

    code = main(["license", "verify", str(file), "--public-keys", str(keys), "--key", key, "--fingerprint", FP])

    assert code == 0
    assert capsys.readouterr().out.startswith("valid: license ")


def test_a_wrong_fingerprint_exits_1_with_the_reason(
    checked_out: tuple[Path, Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    file, keys, key = checked_out

    code = main(["license", "verify", str(file), "--public-keys", str(keys), "--key", key, "--fingerprint", "other"])

    assert code == 1
    assert "does not open" in capsys.readouterr().err


def test_a_damaged_file_exits_1(checked_out: tuple[Path, Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    file, keys, key = checked_out
    file.write_text(file.read_text().replace("-----END", "x-----END"))

    code = main(["license", "verify", str(file), "--public-keys", str(keys), "--key", key, "--fingerprint", FP])

    assert code == 1
    assert capsys.readouterr().err.startswith("invalid: ")
