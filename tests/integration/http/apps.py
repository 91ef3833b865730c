"""Built apps, kept for the next test with the same settings.

Building the app is the dearest part of an HTTP test (Litestar copies every handler of about two
hundred routes); a container is cheap. So each test process keeps the apps it built, one list per
settings, and hands a free one out again with the test's own fresh container in its state
(``entrypoints/http/app_container.py``: everything the app takes from its container is taken
again from a new one) and not draining (a test of draining sets it on its app). An app is lent
for one test: ``release_all`` (an autouse fixture of tests/conftest.py) takes them back when the
test ends, so two clients of one test never share one.
"""

from __future__ import annotations

from dishka import AsyncContainer
from litestar import Litestar

from devforge.bootstrap.settings import Settings
from devforge.entrypoints.http.app import create_app

_FREE: dict[str, list[Litestar]] = {}
_LENT: list[tuple[str, Litestar]] = []


def app_for(container: AsyncContainer, settings: Settings) -> Litestar:
    key = repr(settings)
    free = _FREE.setdefault(key, [])
    if free:
        app = free.pop()
        app.state.dishka_container = container
        # A test may have set its app draining (what SIGTERM does): a lent app starts serving.
        app.state.draining.active = False
    else:
        app = create_app(container, settings)
    _LENT.append((key, app))
    return app


def release_all() -> None:
    while _LENT:
        key, app = _LENT.pop()
        _FREE[key].append(app)
