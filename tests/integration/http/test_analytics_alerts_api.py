"""``/api/analytics/alerts`` and ``/api/analytics/forecasts`` over HTTP: an analyst makes, reads,
subscribes to and deletes rules; bad input is a problem naming the field; a forecast is served
with its backtest once the worker stored one, 404 before."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from dishka import AsyncContainer

from devforge.application.analytics.forecast_ports import ForecastRepository
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.analytics.forecasting import Backtest, Forecast, ForecastPoint
from devforge.domain.identity.roles import Role
from tests.access_world import session_actor
from tests.integration.http.conftest import build_client

RULE = {"name": "Downloads collapse", "metric": "extensions.downloads", "condition": "below", "threshold": 50}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_an_analyst_makes_reads_subscribes_to_and_deletes_a_rule() -> None:
    client, container, _ = build_client()
    async with client:
        analyst = await session_actor(container, "analyst", Role.ANALYST, two_factor=True)
        other = await session_actor(container, "other_analyst", Role.ANALYST, two_factor=True)
        made = await client.post("/api/analytics/alerts", json=RULE, headers=bearer(analyst.token))
        assert made.status_code == 201, made.text
        rule = made.json()
        assert (rule["state"], rule["interval"], rule["cooldownSeconds"]) == ("armed", "day", 3600)
        assert rule["subscribers"] == [str(analyst.user_id)]
        path = f"/api/analytics/alerts/{rule['id']}"

        joined = await client.put(f"{path}/subscription", headers=bearer(other.token))
        assert joined.json()["subscribers"] == [str(analyst.user_id), str(other.user_id)]
        left = await client.delete(f"{path}/subscription", headers=bearer(analyst.token))
        assert left.json()["subscribers"] == [str(other.user_id)]

        listed = await client.get("/api/analytics/alerts", headers=bearer(other.token))
        assert [r["id"] for r in listed.json()] == [rule["id"]]
        shown = await client.get(path, headers=bearer(analyst.token))
        assert (shown.json()["rule"]["name"], shown.json()["history"]) == ("Downloads collapse", [])

        assert (await client.delete(path, headers=bearer(analyst.token))).status_code == 204
        gone = await client.get(path, headers=bearer(analyst.token))
        assert (gone.status_code, gone.json()["code"]) == (404, "alert_rule_not_found")


async def test_bad_input_is_a_problem_naming_the_field() -> None:
    client, container, _ = build_client()
    async with client:
        analyst = await session_actor(container, "analyst", Role.ANALYST, two_factor=True)

        async def refused(**change: Any) -> tuple[int, str]:
            answer = await client.post("/api/analytics/alerts", json=RULE | change, headers=bearer(analyst.token))
            assert answer.headers["content-type"].startswith("application/problem+json")
            return answer.status_code, str(answer.json())

        status, body = await refused(cooldownSeconds=10)
        assert status == 400 and "cooldownSeconds" in body
        status, body = await refused(condition="sideways")
        assert status == 400 and "condition" in body
        status, body = await refused(metric="users.nonexistent")
        assert status == 422 and "'field': 'metric'" in body
        status, body = await refused(condition="outside_forecast", interval="hour")
        assert status == 422 and "'field': 'interval'" in body


async def stored_forecast(
    container: AsyncContainer, metric: str = "extensions.downloads", scope_name: str = ""
) -> Forecast:
    end = date(2026, 6, 1)
    points = tuple(ForecastPoint(end + timedelta(days=i), 500.0 + i, 450.0, 560.0 + i) for i in range(1, 29))
    forecast = Forecast(
        metric,
        scope_name,
        "AutoETS",
        80,
        datetime(2026, 6, 2, 1, tzinfo=UTC),
        end,
        points,
        Backtest(28, 4.5, 0.82),
    )
    async with container() as scope:
        await (await scope.get(ForecastRepository)).save(forecast)  # type: ignore[type-abstract]
        await (await scope.get(UnitOfWork)).commit()  # type: ignore[type-abstract]
    return forecast


async def test_a_forecast_is_served_with_its_backtest_once_stored() -> None:
    client, container, _ = build_client()
    async with client:
        analyst = await session_actor(container, "analyst", Role.ANALYST, two_factor=True)
        url = "/api/analytics/forecasts?metric=extensions.downloads"
        before = await client.get(url, headers=bearer(analyst.token))
        assert (before.status_code, before.json()["code"]) == (404, "forecast_not_found")
        await stored_forecast(container)
        body = (await client.get(url, headers=bearer(analyst.token))).json()
        assert body["backtest"] == {"holdoutDays": 28, "mape": 4.5, "coverage": 0.82}
        assert (body["model"], body["level"], body["historyEnd"]) == ("AutoETS", 80, "2026-06-01")
        assert body["points"][0] == {"day": "2026-06-02", "mean": 501.0, "low": 450.0, "high": 561.0}
        unknown = await client.get("/api/analytics/forecasts?metric=users.nonexistent", headers=bearer(analyst.token))
        assert unknown.status_code == 422
        await stored_forecast(container, "revenue.mrr", "currency:EUR")
        mrr = await client.get(
            "/api/analytics/forecasts?metric=revenue.mrr&currency=EUR", headers=bearer(analyst.token)
        )
        assert (mrr.status_code, mrr.json()["currency"], mrr.json()["backtest"]["mape"]) == (200, "EUR", 4.5)
        assert body["currency"] is None
        for query in ("metric=revenue.mrr", "metric=extensions.downloads&currency=EUR"):
            refused = await client.get(f"/api/analytics/forecasts?{query}", headers=bearer(analyst.token))
            assert refused.status_code == 422 and "currency" in refused.text, query
        usd = await client.get(
            "/api/analytics/forecasts?metric=revenue.mrr&currency=USD", headers=bearer(analyst.token)
        )
        assert usd.status_code == 404
