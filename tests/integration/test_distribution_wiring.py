"""Settings choose the distribution adapters: local disk or S3, no CDN or CloudFlare, the built-in
scanner or clamd, a DNS table or dnspython, and the registry's key ring on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from devforge.adapters.cdn.cloudflare_cdn import CloudflareCdn
from devforge.adapters.cdn.no_op_cdn import NoOpCdn
from devforge.adapters.dns.dnspython_txt_resolver import DnspythonTxtResolver
from devforge.adapters.memory.dns_resolver import StaticTxtResolver
from devforge.adapters.scanning.builtin_malware_scanner import BuiltinMalwareScanner
from devforge.adapters.scanning.clamd_malware_scanner import ClamdMalwareScanner
from devforge.adapters.storage.local_disk_file_storage import LocalDiskFileStorage
from devforge.adapters.storage.s3_file_storage import S3FileStorage
from devforge.application.common.cdn import ContentDeliveryNetwork
from devforge.application.common.file_storage import FileStorage
from devforge.application.marketplace.artifact_signer import ArtifactSigner
from devforge.application.marketplace.dns_resolver import DnsTxtResolver
from devforge.application.marketplace.malware_scanner import MalwareScanner
from devforge.bootstrap.container import check_selected_adapters, make_container
from devforge.bootstrap.settings import SettingsError, load_settings

SECRET = {"DEVFORGE_SECRET_KEY": "x" * 40}


async def resolve(environ: dict[str, str]) -> dict[str, object]:
    container = make_container(load_settings(environ))
    try:
        return {
            port.__name__: await container.get(port)
            for port in (FileStorage, ContentDeliveryNetwork, MalwareScanner, DnsTxtResolver, ArtifactSigner)
        }
    finally:
        await container.close()


async def test_the_embedded_profile_runs_on_local_parts(tmp_path: Path) -> None:
    adapters = await resolve({"DEVFORGE_DATA_DIR": str(tmp_path), **SECRET})
    assert isinstance(adapters["FileStorage"], LocalDiskFileStorage)
    assert isinstance(adapters["ContentDeliveryNetwork"], NoOpCdn)
    assert isinstance(adapters["MalwareScanner"], BuiltinMalwareScanner)
    assert isinstance(adapters["DnsTxtResolver"], StaticTxtResolver)
    assert (tmp_path / "registry_keys" / "keyring.json").exists()


async def test_one_line_each_moves_to_s3_cloudflare_clamd_and_real_dns(tmp_path: Path) -> None:
    adapters = await resolve(
        {
            "DEVFORGE_DATA_DIR": str(tmp_path),
            "DEVFORGE_STORAGE_BACKEND": "s3",
            "DEVFORGE_S3_BUCKET": "devforge-artifacts",
            "DEVFORGE_S3_ENDPOINT_URL": "http://127.0.0.1:9",
            "DEVFORGE_S3_REGION": "eu-central-1",
            "DEVFORGE_CDN": "cloudflare",
            "DEVFORGE_CLOUDFLARE_ZONE_ID": "zone",
            "DEVFORGE_CLOUDFLARE_API_TOKEN": "token",
            "DEVFORGE_MALWARE_SCANNER": "clamd",
            "DEVFORGE_CLAMD_ADDRESS": "unix:/run/clamav/clamd.ctl",
            "DEVFORGE_DNS_NAMESERVERS": "1.1.1.1, 127.0.0.1:5353",
            "DEVFORGE_REGISTRY_KEYS_DIR": str(tmp_path / "keys"),
            **SECRET,
        }
    )
    assert repr(adapters["FileStorage"]) == "S3FileStorage(bucket='devforge-artifacts')"
    assert isinstance(adapters["FileStorage"], S3FileStorage)
    assert isinstance(adapters["ContentDeliveryNetwork"], CloudflareCdn)
    assert isinstance(adapters["MalwareScanner"], ClamdMalwareScanner)
    assert isinstance(adapters["DnsTxtResolver"], DnspythonTxtResolver)
    assert (tmp_path / "keys" / "keyring.json").exists()


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"DEVFORGE_STORAGE_BACKEND": "s3"}, "DEVFORGE_S3_BUCKET"),
        ({"DEVFORGE_STORAGE_BACKEND": "gcs"}, "DEVFORGE_STORAGE_BACKEND"),
        ({"DEVFORGE_CDN": "cloudflare", "DEVFORGE_CLOUDFLARE_ZONE_ID": "z"}, "DEVFORGE_CLOUDFLARE_API_TOKEN"),
        ({"DEVFORGE_MALWARE_SCANNER": "none"}, "DEVFORGE_MALWARE_SCANNER"),
    ],
)
def test_incomplete_distribution_settings_are_refused_by_name(environ: dict[str, str], named: str) -> None:
    """A value that is not one of the choices is refused as the settings load; a choice without
    what it needs, as soon as a process selects its adapters."""
    with pytest.raises(SettingsError, match=named):
        check_selected_adapters(load_settings({**environ, **SECRET}))


def test_the_cloudflare_token_is_masked() -> None:
    settings = load_settings(
        {
            "DEVFORGE_CDN": "cloudflare",
            "DEVFORGE_CLOUDFLARE_ZONE_ID": "z",
            "DEVFORGE_CLOUDFLARE_API_TOKEN": "cf-secret",
            **SECRET,
        }
    )
    assert "cf-secret" not in repr(settings)
