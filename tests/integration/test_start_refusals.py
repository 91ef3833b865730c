"""A production process refuses to start, naming the variable, when an adapter its settings
select lacks a setting it needs: Stripe without its key, S3 without a bucket, CloudFlare without
its zone and token. Before this, such a process started and answered 500 at the first checkout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

DEVFORGE = Path(sys.executable).parent / "devforge"
STRIPE_READY = {"DEVFORGE_STRIPE_API_KEY": "sk_test_1", "DEVFORGE_WEBHOOK_SECRETS": "whsec_1"}


def run(command: str, folder: Path, settings: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DEVFORGE_")} | {
        "DEVFORGE_PROFILE": "production",
        # Nothing listens there: a refusal must come before any connection is tried.
        "DEVFORGE_DATABASE_URL": "postgresql+asyncpg://devforge@127.0.0.1:9/devforge",
        "DEVFORGE_REDIS_URL": "redis://127.0.0.1:9/0",
        "DEVFORGE_SECRET_KEY": "s" * 48,
        "DEVFORGE_DATA_DIR": str(folder),
        "DEVFORGE_PORT": "9",
    }
    return subprocess.run(
        [str(DEVFORGE), command], env=env | settings, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_the_stripe_provider_without_its_key_stops_serve_and_worker_at_start(command: str, tmp_path: Path) -> None:
    refused = run(command, tmp_path, {"DEVFORGE_PAYMENT_PROVIDER": "stripe", "DEVFORGE_WEBHOOK_SECRETS": "whsec_1"})
    assert refused.returncode == 2, refused.stderr
    assert "DEVFORGE_STRIPE_API_KEY must be set" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_s3_without_a_bucket_stops_serve(tmp_path: Path) -> None:
    """CloudFlare without its zone or token, TaxJar without its token: the same check
    (``tests/unit/bootstrap/test_settings.py`` goes through each)."""
    refused = run("serve", tmp_path, STRIPE_READY | {"DEVFORGE_STORAGE_BACKEND": "s3"})
    assert refused.returncode == 2, refused.stderr
    assert "DEVFORGE_S3_BUCKET must be set: S3 storage needs it (DEVFORGE_STORAGE_BACKEND=s3)" in refused.stderr
