"""``/api/analytics/reports``: an analyst lists the reports and their runs, subscribes, and gets a
signed link that downloads the run's PDF; inputs are checked at the door."""

from __future__ import annotations

from datetime import UTC, datetime

from devforge.adapters.memory.clock import ManualClock
from devforge.application.analytics.generate_due_reports import GenerateDueReports
from devforge.domain.identity.roles import Role
from tests.access_world import add_account, start_session
from tests.conftest import manual_clock_provider
from tests.integration.http.conftest import build_client

MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_an_analyst_subscribes_and_downloads_a_run_through_a_signed_link() -> None:
    clock = ManualClock(MONDAY)
    client, container, _ = build_client(manual_clock_provider(clock))
    async with client:
        analyst_id = await add_account(container, "numbers@example.com", Role.ANALYST, two_factor=True)
        analyst, _ = await start_session(container, analyst_id, Role.ANALYST)
        subscribed = await client.put("/api/analytics/reports/platform-weekly/subscription", headers=bearer(analyst))
        assert subscribed.status_code == 200 and subscribed.json() == {
            "reportKey": "platform-weekly",
            "subscribed": True,
        }
        async with container() as scope:
            await (await scope.get(GenerateDueReports))()

        reports = (await client.get("/api/analytics/reports", headers=bearer(analyst))).json()

        weekly = reports[0]
        assert (weekly["key"], weekly["cadence"], weekly["subscribed"]) == ("platform-weekly", "weekly", True)
        run = weekly["runs"][0]
        assert (run["periodStart"], run["status"]) == ("2026-11-30T00:00:00Z", "done")
        link = await client.get(
            f"/api/analytics/reports/platform-weekly/runs/{run['id']}/files/pdf", headers=bearer(analyst)
        )
        assert link.status_code == 200, link.text
        assert link.json()["filename"] == "platform-weekly-2026-11-30.pdf"
        url = link.json()["url"]
        downloaded = await client.get(url[url.index("/files/") :])
        assert downloaded.status_code == 200 and downloaded.content.startswith(b"%PDF")
        assert "platform-weekly-2026-11-30.pdf" in downloaded.headers["content-disposition"]
        tampered = await client.get(url[url.index("/files/") :][:-3] + "xyz")
        assert tampered.status_code == 403

        unknown = await client.put("/api/analytics/reports/quarterly/subscription", headers=bearer(analyst))
        assert unknown.status_code == 404 and unknown.json()["code"] == "report_not_found"
        bad_format = await client.get(
            f"/api/analytics/reports/platform-weekly/runs/{run['id']}/files/xlsx", headers=bearer(analyst)
        )
        assert 400 <= bad_format.status_code < 500
        too_many = await client.get("/api/analytics/reports?runs=1000", headers=bearer(analyst))
        assert too_many.status_code == 400
