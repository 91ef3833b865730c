"""Cache purge on CloudFlare: ``POST /client/v4/zones/{zone}/purge_cache`` with ``{"files": [...]}``
under an API token (bearer), at most 30 URLs a call, as the API allows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from devforge.application.common.cdn import CdnPurgeFailed

FILES_PER_CALL = 30


class CloudflareCdn:
    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        zone_id: str,
        api_token: str,
        api_base: str = "https://api.cloudflare.com",
        public_base_url: str = "",
    ) -> None:
        self._client = client
        self._endpoint = f"{api_base.rstrip('/')}/client/v4/zones/{zone_id}/purge_cache"
        self._token = api_token
        self._public_base = public_base_url.rstrip("/")

    def __repr__(self) -> str:
        return f"CloudflareCdn(endpoint={self._endpoint!r})"

    async def purge(self, targets: Sequence[str]) -> None:
        urls = list(dict.fromkeys(self._url(target) for target in targets))
        for start in range(0, len(urls), FILES_PER_CALL):
            await self._purge_files(urls[start : start + FILES_PER_CALL])

    def _url(self, target: str) -> str:
        if target.startswith(("https://", "http://")):
            return target
        if not self._public_base:
            raise ValueError(f"cannot purge the key {target!r}: no CDN public base URL is configured")
        return f"{self._public_base}/{target.lstrip('/')}"

    async def _purge_files(self, files: list[str]) -> None:
        try:
            response = await self._client.post(
                self._endpoint, json={"files": files}, headers={"Authorization": f"Bearer {self._token}"}
            )
        except httpx.HTTPError as error:
            raise CdnPurgeFailed(f"CloudFlare could not be reached: {type(error).__name__}") from error
        body = _json(response)
        if response.status_code != 200 or body.get("success") is not True:
            errors = "; ".join(f"{e.get('code')}: {e.get('message')}" for e in body.get("errors") or [])
            raise CdnPurgeFailed(f"CloudFlare refused the purge ({response.status_code}): {errors or 'no detail'}")


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
