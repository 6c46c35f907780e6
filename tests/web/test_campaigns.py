"""Campaigns over HTTP: the API (HR and raters, good and bad input) and the pages (HR's list,
form and detail; My tasks, the rating form, notifications and the pulse)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import bearer, csrf_from, log_in, migrated_database, seed_world
from tests.web.world import World


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def web_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, World]]:
    """A database of this module's own: these tests launch and close campaigns."""
    for url in migrated_database(request.param, tmp_path_factory):
        yield url, seed_world(url)


def _api(
    client: TestClient, world: World, method: str, path: str, who: str = "hr", **kwargs: Any
) -> Any:
    return client.request(method, f"/api/v1{path}", headers=bearer(world.tokens[who]), **kwargs)


def _definition(world: World, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Data skills check",
        "unit_ids": [world.ids["engineering"]],
        "deadline": (world.today + timedelta(days=14)).isoformat(),
        "peer_count": 1,
    }
    body.update(changes)
    return body


def _launched(client: TestClient, world: World, **changes: Any) -> int:
    created = _api(client, world, "POST", "/campaigns", json=_definition(world, **changes))
    assert created.status_code == 201, created.text
    campaign_id: int = created.json()["id"]
    launched = _api(client, world, "POST", f"/campaigns/{campaign_id}/launch")
    assert launched.status_code == 200, launched.text
    return campaign_id


def _my_task(client: TestClient, world: World, who: str, campaign_id: int, kind: str) -> Any:
    tasks = _api(client, world, "GET", "/tasks", who=who).json()["items"]
    return next(t for t in tasks if t["campaign"]["id"] == campaign_id and t["rater_kind"] == kind)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# API


def test_the_whole_campaign_through_the_api(client: TestClient, world: World) -> None:
    """Create, preview, launch; Rui answers in two steps and submits; HR follows completion
    and closes; the level lands on Rui's profile as manager/self evidence."""
    created = _api(client, world, "POST", "/campaigns", json=_definition(world))
    assert created.status_code == 201
    campaign = created.json()
    assert campaign["status"] == "draft"
    assert [u["name"] for u in campaign["units"]] == ["Engineering"]
    preview = _api(client, world, "GET", f"/campaigns/{campaign['id']}/population").json()
    assert preview["participants"] == 2  # Rui and Ida; Max has no skill profile
    assert preview["tasks_by_kind"] == {"self": 2, "manager": 2, "peer": 2}
    launch = _api(client, world, "POST", f"/campaigns/{campaign['id']}/launch").json()
    assert (launch["participants"], launch["campaign"]["status"]) == (2, "open")
    task = _my_task(client, world, "employee", campaign["id"], "self")
    detail = _api(client, world, "GET", f"/tasks/{task['id']}", who="employee").json()
    skills = {item["skill"]["name"]: item["skill"]["id"] for item in detail["items"]}
    assert set(skills) == {"SQL", "Python (computer programming)"}
    assert [level["value"] for level in detail["scale"]["levels"]] == [1, 2, 3, 4, 5]
    first = _api(
        client,
        world,
        "PATCH",
        f"/tasks/{task['id']}/answers",
        who="employee",
        json={"answers": [{"skill_id": skills["SQL"], "display_level": 4}]},
    )
    assert first.status_code == 200
    assert (first.json()["status"], first.json()["answered"]) == ("in_progress", 1)
    incomplete = _api(client, world, "POST", f"/tasks/{task['id']}/submit", who="employee")
    assert incomplete.status_code == 422
    assert incomplete.json()["problems"][0]["column"] == "Python (computer programming)"
    submitted = _api(
        client,
        world,
        "POST",
        f"/tasks/{task['id']}/submit",
        who="employee",
        json={
            "answers": [{"skill_id": skills["Python (computer programming)"], "cant_judge": True}]
        },
    )
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    manager_task = next(
        t
        for t in _api(client, world, "GET", "/tasks", who="manager").json()["items"]
        if t["campaign"]["id"] == campaign["id"] and t["subject"]["id"] == world.ids["analyst"]
    )
    answers = [{"skill_id": i, "display_level": 3} for i in skills.values()]
    done = _api(
        client,
        world,
        "POST",
        f"/tasks/{manager_task['id']}/submit",
        who="manager",
        json={"answers": answers},
    )
    assert done.status_code == 200
    progress = _api(client, world, "GET", f"/campaigns/{campaign['id']}/completion").json()
    assert (progress["overall"]["tasks"], progress["overall"]["submitted"]) == (6, 2)
    assert [row["label"] for row in progress["by_unit"]] == ["Data"]
    closed = _api(client, world, "POST", f"/campaigns/{campaign['id']}/close")
    assert closed.status_code == 200
    assert closed.json()["evidence_written"] == 3
    assert closed.json()["profiles_refreshed"] == 1
    evidence = _api(client, world, "GET", f"/employees/{world.ids['analyst']}", who="hr").json()
    campaign_rows = [e for e in evidence["evidence"] if e["note"].startswith("Assessment campaign")]
    assert sorted((e["source"], e["skill"]["name"], e["display_level"]) for e in campaign_rows) == [
        ("manager", "Python (computer programming)", 3),
        ("manager", "SQL", 3),
        ("self", "SQL", 4),
    ]
    after = _api(
        client,
        world,
        "PATCH",
        f"/tasks/{manager_task['id']}/answers",
        who="manager",
        json={"answers": answers},
    )
    assert after.status_code == 409
    assert "closed" in after.json()["detail"]
    assert _api(client, world, "POST", f"/campaigns/{campaign['id']}/close").status_code == 409


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"deadline": "2000-01-01"}, "deadline"),
        ({"unit_ids": [], "role_ids": []}, "population"),
        ({"unit_ids": [987_654]}, "unit_ids"),
        ({"include_self": False, "include_manager": False, "peer_count": 0}, "raters"),
    ],
)
def test_bad_definitions_are_422_with_the_field_named(
    client: TestClient, world: World, changes: dict[str, Any], column: str
) -> None:
    """Bad dates, empty population, unknown unit, no rater: 422 naming the field; no draft."""
    before = _api(client, world, "GET", "/campaigns").json()["total"]
    response = _api(client, world, "POST", "/campaigns", json=_definition(world, **changes))
    assert response.status_code == 422
    assert column in {p.get("column") for p in response.json()["problems"]}
    assert _api(client, world, "GET", "/campaigns").json()["total"] == before


@pytest.mark.parametrize(
    "body",
    [{"deadline": "next week"}, {"peer_count": 9}, {"name": ""}, {"unit_ids": "all"}],
)
def test_malformed_definitions_are_422(
    client: TestClient, world: World, body: dict[str, Any]
) -> None:
    """Values of the wrong type or range: FastAPI's validation error, never a 500."""
    response = _api(client, world, "POST", "/campaigns", json=_definition(world, **body))
    assert response.status_code == 422


def test_launching_nobody_is_refused_and_changes_nothing(client: TestClient, world: World) -> None:
    """A population without skills to rate (Engineering Managers): 422, still a draft."""
    created = _api(
        client,
        world,
        "POST",
        "/campaigns",
        json=_definition(world, unit_ids=[], role_ids=[world.ids["manager_role"]]),
    ).json()
    response = _api(client, world, "POST", f"/campaigns/{created['id']}/launch")
    assert response.status_code == 422
    assert response.json()["problems"][0]["column"] == "population"
    assert _api(client, world, "GET", f"/campaigns/{created['id']}").json()["status"] == "draft"
    cancelled = _api(client, world, "POST", f"/campaigns/{created['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"


def test_only_hr_manages_and_only_the_rater_answers(client: TestClient, world: World) -> None:
    """Employees and executives get 403 on HR endpoints; Oli cannot see Rui's task (404); HR
    can read it but not answer (403); a bad level is 422 and saves nothing."""
    for who in ("employee", "manager", "executive"):
        assert _api(client, world, "GET", "/campaigns", who=who).status_code == 403
        assert (
            _api(client, world, "POST", "/campaigns", who=who, json=_definition(world)).status_code
            == 403
        )
    campaign_id = _launched(client, world, peer_count=0)
    task = _my_task(client, world, "employee", campaign_id, "self")
    body = {"answers": [{"skill_id": world.ids["sql"], "display_level": 3}]}
    path = f"/tasks/{task['id']}/answers"
    assert _api(client, world, "PATCH", path, who="peer", json=body).status_code == 404
    assert _api(client, world, "GET", f"/tasks/{task['id']}", who="peer").status_code == 404
    assert _api(client, world, "GET", f"/tasks/{task['id']}", who="hr").status_code == 200
    assert _api(client, world, "PATCH", path, who="hr", json=body).status_code == 403
    for bad in (
        {"answers": [{"skill_id": world.ids["sql"], "display_level": 9}]},
        {"answers": [{"skill_id": world.ids["listening"], "display_level": 3}]},
        {"answers": [{"skill_id": world.ids["sql"], "display_level": 2, "cant_judge": True}]},
        {"answers": [{"skill_id": "sql"}]},
    ):
        assert _api(client, world, "PATCH", path, who="employee", json=bad).status_code == 422
    unchanged = _api(client, world, "GET", f"/tasks/{task['id']}", who="employee").json()
    assert (unchanged["status"], unchanged["answered"]) == ("pending", 0)
    notes = _api(client, world, "GET", "/notifications", who="employee").json()
    assert any(n["campaign"]["id"] == campaign_id and n["kind"] == "assigned" for n in notes)
    _api(client, world, "POST", f"/campaigns/{campaign_id}/cancel")


def test_the_pulse_through_the_api(client: TestClient, world: World) -> None:
    """Rui is offered his role's skills; answers; a skill not offered is 422; HR sees counts;
    HR without an employee record cannot answer (403)."""
    pulse = _api(client, world, "GET", "/pulse", who="employee").json()
    offered = {o["skill"]["name"]: o for o in pulse["options"]}
    assert offered["SQL"]["in_role"] is True
    answered = _api(
        client, world, "PUT", "/pulse", who="employee", json={"skill_ids": [world.ids["sql"]]}
    )
    assert answered.status_code == 200
    assert [o["skill"]["name"] for o in answered.json()["options"] if o["used"]] == ["SQL"]
    refused = _api(
        client, world, "PUT", "/pulse", who="employee", json={"skill_ids": [world.ids["listening"]]}
    )
    assert refused.status_code == 422
    summary = _api(client, world, "GET", "/pulse/summary").json()
    assert summary["respondents"] >= 1
    assert "SQL" in [use["skill"]["name"] for use in summary["top_skills"]]
    assert _api(client, world, "GET", "/pulse/summary", who="employee").status_code == 403
    assert _api(client, world, "GET", "/pulse", who="hr").status_code == 403


# Pages


def test_hr_creates_and_launches_a_campaign_through_the_pages(
    client: TestClient, world: World
) -> None:
    """The form refuses bad input with every problem and keeps the values; a good draft shows
    who it reaches; launching shows the completion with a chart and its table."""
    log_in(client, world.emails["hr"])
    listing = client.get("/campaigns")
    assert listing.status_code == 200
    assert 'href="/campaigns"' in listing.text.split("<main")[0]
    form = client.get("/campaigns/new")
    assert form.status_code == 200
    token = csrf_from(form.text)
    bad = client.post(
        "/campaigns/new",
        data={
            "csrf_token": token,
            "name": "Pages campaign",
            "deadline": "someday",
            "peer_count": "1",
            "reminder_days": "7, 2",
            "overdue_every_days": "7",
        },
    )
    assert bad.status_code == 422
    text = _text(bad.text)
    assert "The campaign was not saved" in text
    assert "must be a date (YYYY-MM-DD)" in text
    assert 'value="Pages campaign"' in bad.text
    empty = client.post(
        "/campaigns/new",
        data={
            "csrf_token": token,
            "name": "Pages campaign",
            "deadline": (world.today + timedelta(days=10)).isoformat(),
            "peer_count": "0",
            "include_self": "on",
            "reminder_days": "7",
            "overdue_every_days": "7",
        },
    )
    assert empty.status_code == 422
    assert "choose at least one org unit or role" in _text(empty.text)
    good = client.post(
        "/campaigns/new",
        data={
            "csrf_token": token,
            "name": "Pages campaign",
            "deadline": (world.today + timedelta(days=10)).isoformat(),
            "unit_id": [str(world.ids["data"])],
            "peer_count": "1",
            "include_self": "on",
            "include_manager": "on",
            "reminder_days": "7, 2",
            "overdue_every_days": "7",
        },
        follow_redirects=False,
    )
    assert good.status_code == 303
    detail_url = good.headers["location"].split("?")[0]
    draft = _text(client.get(good.headers["location"]).text)
    assert "Launched today, this campaign would rate 2 people with 6 tasks." in draft
    launched = client.post(
        f"{detail_url}/launch", data={"csrf_token": token}, follow_redirects=True
    )
    assert launched.status_code == 200
    page = _text(launched.text)
    assert "The campaign is open" in page
    assert "0% of the tasks are submitted (0 of 6)" in page
    assert "data-chart-completion" in launched.text
    assert "By unit" in page
    assert "Data" in page
    without_csrf = client.post(f"{detail_url}/close", data={})
    assert without_csrf.status_code == 403
    client.cookies.clear()
    log_in(client, world.emails["employee"])
    assert client.get(detail_url).status_code == 403


def test_an_employee_rates_in_the_form_and_sees_notifications(
    client: TestClient, world: World
) -> None:
    """My tasks (with the count in the menu), save one answer, a submit with a missing skill
    marks it and keeps the saved answer, a complete submit; notifications list the task."""
    client_hr = client
    campaign_id = _launched(client_hr, world, peer_count=0, name="Form campaign")
    log_in(client, world.emails["employee"])
    tasks_page = client.get("/tasks")
    assert tasks_page.status_code == 200
    menu = tasks_page.text.split("<main")[0]
    assert re.search(r">My tasks \(\d+\)<", menu)
    assert "Form campaign" in _text(tasks_page.text)
    assert "you have 1 task to answer by" in _text(tasks_page.text)
    task = _my_task(client, world, "employee", campaign_id, "self")
    form = client.get(f"/tasks/{task['id']}")
    assert form.status_code == 200
    assert f'name="skill-{world.ids["sql"]}"' in form.text
    assert "Can&#39;t judge" in form.text or "Can't judge" in form.text
    token = csrf_from(form.text)
    saved = client.post(
        f"/tasks/{task['id']}",
        data={"csrf_token": token, f"skill-{world.ids['sql']}": "4", "action": "save"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    missing = client.post(f"/tasks/{task['id']}", data={"csrf_token": token, "action": "submit"})
    assert missing.status_code == 422
    assert "Still needs an answer." in missing.text
    assert f'name="skill-{world.ids["sql"]}" value="4" checked' in missing.text
    done = client.post(
        f"/tasks/{task['id']}",
        data={"csrf_token": token, f"skill-{world.ids['python']}": "cant", "action": "submit"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    view = _text(client.get(f"/tasks/{task['id']}").text)
    assert "Submitted on" in view
    assert "4 · Advanced" in view
    read = client.post("/notifications/read", data={"csrf_token": token}, follow_redirects=False)
    assert read.status_code == 303
    assert client.get("/campaigns").status_code == 403
    assert client.get("/tasks/987654").status_code == 404


def test_the_pulse_page(client: TestClient, world: World) -> None:
    """The pulse form offers the role's skills; ticking one saves it; a made-up id is refused."""
    log_in(client, world.emails["employee"])
    page = client.get("/pulse")
    assert page.status_code == 200
    assert "Skills of your role" in page.text
    token = csrf_from(page.text)
    saved = client.post(
        "/pulse",
        data={"csrf_token": token, "skill_id": [str(world.ids["python"])]},
        follow_redirects=True,
    )
    assert saved.status_code == 200
    assert "your answer is saved" in saved.text
    assert f'value="{world.ids["python"]}" checked' in saved.text
    refused = client.post("/pulse", data={"csrf_token": token, "skill_id": ["abc"]})
    assert refused.status_code == 422


def test_every_reason_the_domain_gives_is_extracted_for_translation() -> None:
    """The pages list each refused-input reason of the campaigns service for `make messages`."""
    from skillpath.domains.campaigns import service
    from skillpath.web.pages.campaigns import PROBLEM_REASONS

    reasons = {
        value
        for name, value in vars(service).items()
        if name.isupper() and isinstance(value, str) and name not in {"NOT_VALID", "BEFORE_PREFIX"}
    }
    assert reasons
    assert reasons <= set(PROBLEM_REASONS)
