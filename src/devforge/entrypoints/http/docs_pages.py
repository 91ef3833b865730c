"""The API documentation pages (``/schema``: Scalar; ``/schema/swagger``: Swagger UI), served
with their scripts and styles from the service itself.

Litestar's own render plugins load the viewers from a third-party CDN and start them with
inline scripts; these pages reference only same-origin files under ``/schema/assets/`` (the
vendored bundles in ``docs_assets/``, see its README) and carry no inline script, so the
Content-Security-Policy of the docs pages (``security_headers.py``) can allow scripts from
``'self'`` alone.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from litestar import Request, Router
from litestar.datastructures import CacheControlHeader
from litestar.openapi.plugins import OpenAPIRenderPlugin
from litestar.static_files import create_static_files_router

ASSETS_DIR = Path(__file__).parent / "docs_assets"
ASSETS_PATH = "/assets"
"""Under the OpenAPI router's own path: ``/schema/assets/...``."""


class _SameOriginPage(OpenAPIRenderPlugin):
    scripts: tuple[str, ...] = ()
    styles: tuple[str, ...] = ("docs.css",)
    mount_id = ""

    def __init__(self, *, path: str) -> None:
        super().__init__(path=path, favicon="", style="")

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        assets = f"{request.app.openapi_config.path if request.app.openapi_config else '/schema'}{ASSETS_PATH}"
        title = escape(str(openapi_schema["info"]["title"]))
        spec_url = escape(self.get_openapi_json_route(request), quote=True)
        links = "".join(f'<link rel="stylesheet" href="{assets}/{name}">' for name in self.styles)
        scripts = "".join(f'<script src="{assets}/{name}"></script>' for name in self.scripts)
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{title}</title><link rel="icon" href="{assets}/swagger/favicon-32x32.png">{links}</head>'
            f'<body><div id="{self.mount_id}" data-url="{spec_url}"></div>{scripts}</body></html>'
        ).encode()


class ScalarPage(_SameOriginPage):
    scripts = ("scalar/standalone.js", "scalar-init.js")
    mount_id = "api-reference"

    def receive_router(self, router: Router) -> None:
        """Serves the vendored files (long-cached: a new release renames nothing, so a day)."""
        router.register(
            create_static_files_router(
                ASSETS_PATH,
                directories=[ASSETS_DIR],
                name="docs_assets",
                cache_control=CacheControlHeader(public=True, max_age=86_400),
            )
        )


class SwaggerPage(_SameOriginPage):
    scripts = ("swagger/swagger-ui-bundle.js", "swagger/swagger-ui-standalone-preset.js", "swagger-init.js")
    styles = ("swagger/swagger-ui.css", "docs.css")
    mount_id = "swagger-ui"
