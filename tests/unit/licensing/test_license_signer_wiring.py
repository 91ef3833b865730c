"""The container's signer: one ring per directory, made on first start and kept across restarts."""

from __future__ import annotations

from pathlib import Path

from dishka import Provider, Scope, make_async_container

from devforge.application.licensing.signing import LicenseSigner
from devforge.bootstrap.providers.licensing import DiskLicenseSignerProvider
from devforge.bootstrap.settings import Settings
from devforge.bootstrap.settings.licensing import LicensingSettings
from tests.conftest import settings_for_tests


async def active_key(settings: Settings) -> str:
    section = Provider(scope=Scope.APP)
    section.from_context(provides=LicensingSettings, scope=Scope.APP)
    context = {LicensingSettings: settings.section(LicensingSettings)}
    container = make_async_container(DiskLicenseSignerProvider(), section, context=context)
    try:
        return (await container.get(LicenseSigner)).active_key_id()
    finally:
        await container.close()


async def test_the_ring_lives_under_the_data_dir_by_default_and_survives_a_restart(tmp_path: Path) -> None:
    settings = settings_for_tests(data_dir=str(tmp_path))
    assert settings.section(LicensingSettings).license_keys_path == tmp_path / "license_keys"

    first = await active_key(settings)
    assert (tmp_path / "license_keys" / "keyring.json").exists()
    assert await active_key(settings) == first


async def test_a_configured_directory_replaces_the_default(tmp_path: Path) -> None:
    mounted = tmp_path / "mounted"
    settings = settings_for_tests(data_dir=str(tmp_path / "data"), license_keys_dir=str(mounted))

    await active_key(settings)
    assert (mounted / "keyring.json").exists() and not (tmp_path / "data" / "license_keys").exists()
