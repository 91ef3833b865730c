"""The Litestar application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext

from dishka import AsyncContainer
from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, Server

from devforge.bootstrap.context import Contexts
from devforge.bootstrap.contexts import CONTEXTS
from devforge.bootstrap.settings import Settings
from devforge.entrypoints.http.api_jobs import running_api_jobs
from devforge.entrypoints.http.authorization import BEARER_SCHEME
from devforge.entrypoints.http.docs_pages import ScalarPage, SwaggerPage
from devforge.entrypoints.http.draining import Draining, draining_on_sigterm
from devforge.entrypoints.http.guard_calls import call_guards_uncopied
from devforge.entrypoints.http.injection import InjectingRouter
from devforge.entrypoints.http.input_guard import GuardedRequest
from devforge.entrypoints.http.openapi_structs import ConstrainedStructSchemaPlugin
from devforge.entrypoints.http.pipeline import DOCS_PATH, Parts, pipeline
from devforge.entrypoints.http.problems import EXCEPTION_HANDLERS
from devforge.entrypoints.http.route_table import RouteTable
from devforge.entrypoints.http.routes import controllers_of, fast_endpoints_of
from devforge.entrypoints.lean_imports import pydantic_absent

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
    The routes are the controllers of ``contexts`` (the container's: pass the same list) and their
    fast endpoints, behind the one pipeline of cross-cutting steps (``pipeline.py``); each
    process runs their ``api_jobs``."""
    draining = Draining()

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

    api = InjectingRouter("/", route_handlers=controllers_of(contexts))
    with pydantic_absent():  # Litestar adds no pydantic plugins: devforge has no pydantic model (lean_imports.py)
        app = Litestar(
            route_handlers=[api],
            exception_handlers=EXCEPTION_HANDLERS,
            plugins=[ConstrainedStructSchemaPlugin()],
            request_class=GuardedRequest,
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
                path=DOCS_PATH,
                servers=[Server(url=settings.http.resolved_public_base_url)],
                render_plugins=[ScalarPage(path="/scalar"), SwaggerPage(path="/swagger")],
                components=Components(security_schemes={"bearer": BEARER_SCHEME}),
            ),
            lifespan=[lifespan],
            state=State({"draining": draining}),
            debug=False,
            logging_config=None,
        )
    app.state.dishka_container = container
    call_guards_uncopied(app)
    # Litestar routes and answers; everything cross-cutting runs in front of it, in one declared
    # pipeline that the contexts' fast endpoints share (pipeline.py).
    app.asgi_handler = pipeline(
        app.asgi_handler,
        fast_endpoints_of(contexts),
        Parts(lambda: app.state.dishka_container, settings, RouteTable(app)),
    )
    return app
