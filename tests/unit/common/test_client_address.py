"""The client address is the peer's unless the peer is a configured proxy."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from devforge.bootstrap.settings import SettingsError, load_settings
from devforge.entrypoints.http.client_address import resolving_client_address


async def resolved(trusted: list[str], peer: str, forwarded_for: str, proto: str = "") -> tuple[str, str]:
    seen: dict[str, Any] = {}

    async def app(scope: Any, _receive: Any, _send: Any) -> None:
        seen.update(scope)

    headers = [(b"x-forwarded-for", forwarded_for.encode())]
    if proto:
        headers.append((b"x-forwarded-proto", proto.encode()))
    scope = {"type": "http", "scheme": "http", "client": (peer, 5000), "headers": headers}
    await resolving_client_address(app, trusted)(scope, None, None)  # type: ignore[arg-type]
    return seen["client"][0], seen["scheme"]


async def test_without_configured_proxies_the_header_is_ignored() -> None:
    assert await resolved([], "127.0.0.1", "203.0.113.9", "https") == ("127.0.0.1", "http")


async def test_a_request_from_elsewhere_than_a_configured_proxy_keeps_its_peer_address() -> None:
    assert await resolved(["10.0.0.0/8"], "198.51.100.7", "203.0.113.9", "https") == ("198.51.100.7", "http")


async def test_behind_configured_proxies_the_nearest_untrusted_address_is_the_client() -> None:
    # The client can prepend anything; only what the trusted proxies appended counts.
    chain = "192.0.2.1, 203.0.113.9, 10.1.2.3"
    assert await resolved(["10.0.0.0/8"], "10.9.9.9", chain, "https") == ("203.0.113.9", "https")


def test_trusted_proxies_are_addresses_or_cidr_ranges() -> None:
    settings = load_settings({"DEVFORGE_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.7,::1", "DEVFORGE_SECRET_KEY": "x" * 32})
    assert settings.http.trusted_proxies == ["10.0.0.0/8", "192.0.2.7", "::1"]
    assert load_settings({"DEVFORGE_SECRET_KEY": "x" * 32}).http.trusted_proxies == []
    with pytest.raises(SettingsError, match="DEVFORGE_TRUSTED_PROXIES"):
        load_settings({"DEVFORGE_TRUSTED_PROXIES": "lb.internal", "DEVFORGE_SECRET_KEY": "x" * 32})


def test_nothing_else_in_the_service_reads_a_forwarded_header() -> None:
    """One resolved client address (uvicorn's middleware, wired in client_address.py): code that
    names a forwarded header itself would believe a spoof."""
    import devforge

    root = Path(devforge.__file__).parent
    readers = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if re.search(r"""[bB]?["'](?:x-forwarded|forwarded\b)|proxy_headers=True""", path.read_text(), re.IGNORECASE)
    ]
    assert readers == []
