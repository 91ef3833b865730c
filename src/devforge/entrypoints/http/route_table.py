"""Which route a request goes to, known before Litestar runs it: the steps of the pipeline read
the route's ``opt`` (its rate-limit group, whether idempotency applies) and its body limit."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.handlers import BaseRouteHandler
from litestar.types import Scope
from litestar.utils import normalize_path

_HANDLER = "devforge.route_handler"


class RouteTable:
    """Asks Litestar's own router (the same lookup it then makes, which it caches), once per
    request; a path that matches no route (404, 405) has no handler."""

    def __init__(self, app: Litestar) -> None:
        self._route = app.asgi_router.handle_routing

    def handler(self, scope: Scope) -> BaseRouteHandler | None:
        state: dict[str, Any] = scope  # type: ignore[assignment]
        if _HANDLER in state:
            found: BaseRouteHandler | None = state[_HANDLER]
            return found
        path = scope["path"]
        if root_path := scope.get("root_path", ""):
            path = path.split(root_path, maxsplit=1)[-1]
        try:
            handler: BaseRouteHandler | None = self._route(path=normalize_path(path), method=scope.get("method"))[1]
        except Exception:  # not found, method not allowed, a path Litestar refuses: Litestar answers it
            handler = None
        state[_HANDLER] = handler
        return handler
