"""ROI dashboard, drill-downs, assumptions (API and form) and the year-in-review report (PDF,
CSV) for HR and executives; employees are refused."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import bearer, csrf_from, log_in, migrated_database, seed_world
from tests.web.world import World


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def web_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, World]]:
    """A database of this module's own: the tests change assumptions."""
    for url in migrated_database(request.param, tmp_path_factory):
        yield url, seed_world(url)


def test_the_dashboard_for_hr_and_executives_only(client: TestClient, world: World) -> None:
    log_in(client, world.emails["hr"])
    page = client.get("/analytics")
    assert page.status_code == 200, page.text
    html = page.text
    assert 'href="/analytics"' in html  # the "ROI" menu entry
    for key in ("internal_fills", "time_to_fill_internal", "internal_fill_rate", "roi_percent"):
        assert f'id="kpi-{key}"' in html
    # One internal and one external fill in the last twelve months (the world's O1 and O2).
    assert "1 role was filled internally (0 of them critical)" in html
    assert "The internal fill rate was 50%" in html
    assert 'action="/analytics/assumptions"' in html
    assert 'data-roi-chart="boxes"' in html
    assert client.get("/analytics/fills").status_code == 200
    fills = client.get("/analytics/fills").text
    assert "O1" in fills
    assert "O2" in fills
    assert "O4" not in fills
    external = client.get("/analytics/fills", params={"source": "external"}).text
    assert "O2" in external
    assert "O1" not in external
    assert client.get("/analytics/fills", params={"source": "sideways"}).status_code == 422
    exported = client.get("/analytics/fills/export.csv", params={"source": "internal"})
    assert exported.status_code == 200
    lines = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [line[0] for line in lines[1:]] == ["O1"]
    assert client.get("/analytics/retention").status_code == 200
    assert client.get("/analytics/retention/export.xlsx").status_code == 200
    bad = client.get("/analytics", params={"from": "yesterday"})
    assert bad.status_code == 422
    future = client.get("/analytics", params={"to": "2999-01-01"})
    assert future.status_code == 422

    other = TestClient(client.app)
    log_in(other, world.emails["executive"])
    seen = other.get("/analytics")
    assert seen.status_code == 200
    assert 'action="/analytics/assumptions"' not in seen.text
    token = csrf_from(seen.text)
    refused = other.post(
        "/analytics/assumptions", data={"csrf_token": token, "average_salary": "1"}
    )
    assert refused.status_code == 403

    employee = TestClient(client.app)
    log_in(employee, world.emails["employee"])
    assert employee.get("/analytics").status_code == 403
    assert employee.get("/analytics/fills").status_code == 403
    assert employee.get("/analytics/report.pdf").status_code == 403
    assert 'href="/analytics"' not in employee.get("/").text


def test_the_report_as_pdf_and_csv(client: TestClient, world: World) -> None:
    roi = client.get("/api/v1/analytics/roi", headers=bearer(world.tokens["executive"])).json()
    keys = {m["key"] for m in roi["metrics"]}
    assert {"internal_fills", "time_to_productivity", "recruiting_cost_avoided"} <= keys
    assert all("previous" in m and "change" in m for m in roi["metrics"])
    assert roi["previous_end"] < roi["start"]
    pdf = client.get("/api/v1/analytics/report.pdf", headers=bearer(world.tokens["executive"]))
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    table = client.get("/api/v1/analytics/report.csv", headers=bearer(world.tokens["hr"]))
    assert table.status_code == 200
    rows = list(csv.DictReader(io.StringIO(table.content.decode("utf-8-sig"))))
    assert {row["Key"] for row in rows} == keys
    assert len(rows) == len(roi["metrics"])
    by_key = {row["Key"]: row for row in rows}
    fills = next(m for m in roi["metrics"] if m["key"] == "internal_fills")
    assert float(by_key["internal_fills"]["Value"]) == fills["value"]
    assert by_key["internal_fill_rate"]["Formula"].startswith("internal fills / all fills")
    assert "internal=" in by_key["internal_fill_rate"]["Inputs"]
    refused = client.get("/api/v1/analytics/report.pdf", headers=bearer(world.tokens["employee"]))
    assert refused.status_code == 403
    unknown = client.get("/api/v1/analytics/report.doc", headers=bearer(world.tokens["hr"]))
    assert unknown.status_code == 404
    log_in(client, world.emails["hr"])
    page_pdf = client.get("/analytics/report.pdf")
    assert page_pdf.status_code == 200
    assert page_pdf.content.startswith(b"%PDF")
    page_csv = client.get("/analytics/report.csv")
    assert page_csv.status_code == 200
    assert "internal_fill_rate" in page_csv.text


def test_assumptions_api(client: TestClient, world: World) -> None:
    path = "/api/v1/analytics/assumptions"
    listed = client.get(path, headers=bearer(world.tokens["executive"]))
    assert listed.status_code == 200
    assert len(listed.json()) == 7
    assert client.get(path, headers=bearer(world.tokens["employee"])).status_code == 403
    denied = client.put(
        path, json={"values": {"average_salary": 50000}}, headers=bearer(world.tokens["executive"])
    )
    assert denied.status_code == 403
    bad = client.put(
        path,
        json={"values": {"average_salary": -5, "productivity_ramp_months_internal": 40}},
        headers=bearer(world.tokens["hr"]),
    )
    assert bad.status_code == 422
    assert {p["column"] for p in bad.json()["problems"]} == {
        "average_salary",
        "productivity_ramp_months_internal",
    }
    good = client.put(
        path, json={"values": {"average_salary": 52000}}, headers=bearer(world.tokens["hr"])
    )
    assert good.status_code == 200
    salary = next(a for a in good.json() if a["key"] == "average_salary")
    assert (salary["value"], salary["default"]) == (52000, 48000)
    assert salary["updated_by"] == world.emails["hr"]
    roi = client.get("/api/v1/analytics/roi", headers=bearer(world.tokens["hr"])).json()
    assert roi["assumptions"]["average_salary"] == 52000


def test_the_assumptions_form_shows_errors_inline(client: TestClient, world: World) -> None:
    log_in(client, world.emails["hr"])
    token = csrf_from(client.get("/analytics").text)
    refused = client.post(
        "/analytics/assumptions",
        data={"csrf_token": token, "loaded_hourly_rate": "lots", "internal_transition_cost": "-3"},
    )
    assert refused.status_code == 422
    assert 'id="error-loaded_hourly_rate"' in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert 'value="lots"' in refused.text  # what was typed stays in the field
    saved = client.post(
        "/analytics/assumptions",
        data={"csrf_token": token, "loaded_hourly_rate": "60"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    page = client.get(saved.headers["location"])
    assert 'name="loaded_hourly_rate" value="60"' in page.text
