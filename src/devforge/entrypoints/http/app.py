"""The Litestar application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext

from dishka import AsyncContainer
from dishka.integrations.litestar import DishkaRouter, setup_dishka
from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, Server

from devforge.bootstrap.context import Contexts
from devforge.bootstrap.contexts import CONTEXTS
from devforge.bootstrap.settings import Settings
from devforge.entrypoints.http.api_jobs import running_api_jobs
from devforge.entrypoints.http.authorization import BEARER_SCHEME
from devforge.entrypoints.http.client_address import resolving_client_address
from devforge.entrypoints.http.docs_pages import ScalarPage, SwaggerPage
from devforge.entrypoints.http.draining import Draining, draining_on_sigterm
from devforge.entrypoints.http.idempotency import IdempotencyMiddleware
from devforge.entrypoints.http.input_guard import GuardedRequest, input_guard_middleware
from devforge.entrypoints.http.openapi_structs import ConstrainedStructSchemaPlugin
from devforge.entrypoints.http.problems import EXCEPTION_HANDLERS
from devforge.entrypoints.http.rate_limit import Limit, RateLimitMiddleware
from devforge.entrypoints.http.request_context import request_context_middleware
from devforge.entrypoints.http.routes import controllers_of, fronts_of
from devforge.entrypoints.http.security_headers import with_security_headers

BackgroundService = Callable[[AsyncContainer], AbstractAsyncContextManager[None]]


def create_app(
    container: AsyncContainer,
    settings: Settings,
    background: BackgroundService | None = None,
    *,
    drain_on_sigterm: bool = False,
    contexts: Contexts = CONTEXTS,
) -> Litestar:
    """``background`` runs beside the app for its lifetime (the embedded profile's worker);
    ``drain_on_sigterm`` (under a server) makes SIGTERM drain first: see ``draining_on_sigterm``.
    The routes are the controllers of ``contexts`` (the container's: pass the same list), with
    what they put in front of Litestar, and each process runs their ``api_jobs``."""
    draining = Draining()
    limits = settings.rate_limits

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        container: AsyncContainer = app.state.dishka_container  # this run's (see app_container.py)
        try:
            async with (
                draining_on_sigterm(draining, settings.http.drain_seconds) if drain_on_sigterm else nullcontext(),
                running_api_jobs(container, settings, contexts.api_jobs()),
            ):
                if background is None:
                    yield
                else:
                    async with background(container):
                        yield
        finally:
            await container.close()

    api = DishkaRouter(
        "/",
        route_handlers=controllers_of(contexts),
    )
    app = Litestar(
        route_handlers=[api],
        exception_handlers=EXCEPTION_HANDLERS,
        plugins=[ConstrainedStructSchemaPlugin()],
        request_class=GuardedRequest,
        middleware=[
            input_guard_middleware,
            DefineMiddleware(
                RateLimitMiddleware,
                limits={
                    "auth": Limit(limits.rate_limit_auth_per_minute, limits.rate_limit_window_seconds),
                    "api": Limit(limits.rate_limit_api_per_minute, limits.rate_limit_window_seconds),
                    "license": Limit(limits.rate_limit_license_per_minute, limits.rate_limit_window_seconds),
                },
            ),
            IdempotencyMiddleware,
        ],
        cors_config=CORSConfig(allow_origins=settings.http.cors_origins) if settings.http.cors_origins else None,
        request_max_body_size=settings.http.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="Dev Forge Services API",
            version="0.1.0",
            description=(
                "Accounts, licenses, payments, the extension marketplace, support and analytics for the "
                "Dev Forge editor. Errors are RFC 9457 problem+json. Every POST honours an optional "
                "`Idempotency-Key` header (1-255 printable characters): a retry with the same key and body "
                "answers the first response again, with `Idempotent-Replayed: true`, for 24 hours; the same "
                "key with another body is 422 `idempotency_key_reused`."
            ),
            path="/schema",
            servers=[Server(url=settings.http.resolved_public_base_url)],
            render_plugins=[ScalarPage(path="/scalar"), SwaggerPage(path="/swagger")],
            components=Components(security_schemes={"bearer": BEARER_SCHEME}),
        ),
        lifespan=[lifespan],
        state=State({"draining": draining}),
        debug=False,
        logging_config=None,
    )
    setup_dishka(container, app)
    # Around Litestar's outermost error handler, so an error raised by a middleware (a 429, an
    # outage) is answered with the request id and logged with its real status.
    app.asgi_handler = request_context_middleware(app.asgi_handler)
    # In front of everything, dishka's per-request container included (licensing's ValidateFastPath).
    for in_front in fronts_of(contexts):
        app.asgi_handler = in_front(app.asgi_handler, lambda: app.state.dishka_container, settings)
    app.asgi_handler = with_security_headers(
        app.asgi_handler, docs_path="/schema", always_https=settings.http.resolved_public_base_url.startswith("https:")
    )
    # Outermost: the client address is resolved once, before the fast path's rate-limit hit.
    app.asgi_handler = resolving_client_address(app.asgi_handler, settings.http.trusted_proxies)
    return app
