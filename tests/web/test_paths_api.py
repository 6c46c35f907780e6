"""The /api/v1 learning-path endpoints (own database: they write paths, completions, evidence).

The known company (tests/web/world.py): Cara (executive) ← Max (manager) ← Rui (analyst, a
login), Ida (analyst, no login); Cara ← Oli (Sales, Rui's peer outside Max's line). The Data
Analyst role asks SQL 0.6 and Python 0.4. The catalog: SQL basics (SQL 0.4, 2 h), Advanced SQL
project (SQL 0.8, 10 h, after SQL basics and Python 0.4), and, added here, Python Foundations
(Python 0.6, 3 h). Ida knows nothing yet: her upskilling plan is all three items, 15 hours.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from skillpath.core.clock import today as utc_today
from skillpath.db.session import make_engine
from skillpath.domains.evidence import service
from skillpath.domains.taxonomy.models import Skill
from tests.factories import make_item
from tests.web.conftest import bearer, migrated_database, seed_world
from tests.web.world import World

IDA_PLAN = {"SQL basics", "Advanced SQL project", "Python Foundations"}


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def web_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, World]]:
    """A database of this module's own, with a Python course and profiles built."""
    for url in migrated_database(request.param, tmp_path_factory):
        world = seed_world(url)
        engine = make_engine(url)
        with Session(engine) as session:
            python = session.get_one(Skill, world.ids["python"])
            item = make_item(session, "Python Foundations", minutes=180, teaches=[(python, 0.6)])
            world.ids["python_course"] = item.id
            service.rebuild_profiles(session)
            session.commit()
        engine.dispose()
        yield url, world


def _call(client: TestClient, world: World, method: str, path: str, who: str, **kwargs: Any) -> Any:
    return client.request(method, f"/api/v1{path}", headers=bearer(world.tokens[who]), **kwargs)


def _ok(client: TestClient, world: World, method: str, path: str, who: str, **kwargs: Any) -> Any:
    response = _call(client, world, method, path, who, **kwargs)
    assert response.status_code in (200, 201), response.text
    return response.json()


def _steps(path: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for month in path["months"] for step in month["steps"]]


def _count(client: TestClient, world: World, person: str) -> int:
    return len(_ok(client, world, "GET", f"/employees/{world.ids[person]}/paths", "hr"))


def test_planning_returns_201_with_the_months(client: TestClient, world: World) -> None:
    """Only the mode is given: the current role, 2 h a week from today, the person's languages
    (Ida works in Berlin: German, then English), no budget or deadline."""
    ida = world.ids["junior"]
    response = _call(
        client, world, "POST", f"/employees/{ida}/paths", "manager", json={"mode": "upskill"}
    )
    assert response.status_code == 201, response.text
    path = response.json()
    assert isinstance(path["id"], int)
    assert path["status"] == "draft"
    assert path["optimal"] is True
    assert path["unreachable"] == []
    assert path["total_hours"] == pytest.approx(15.0)
    assert path["hours_per_week"] == 2.0
    assert path["start"] == utc_today().isoformat()
    assert path["locales"] == ["de", "en"]
    assert path["budget"] is None
    assert path["deadline"] is None
    assert path["title"] == "Grow in Data Analyst"
    months = path["months"]
    assert [month["month"] for month in months] == list(range(1, len(months) + 1))
    # 15 hours at 2 a week: eight weeks, two months.
    assert len(months) == 2
    steps = _steps(path)
    for step in steps:
        assert set(step["item"]) == {"id", "title", "kind"}
        assert isinstance(step["hours"], float)
        assert all(isinstance(name, str) for name in step["closes"])
    assert {step["item"]["title"] for step in steps} == IDA_PLAN
    assert sum(step["hours"] for step in steps) == pytest.approx(15.0)
    by_title = {step["item"]["title"]: step for step in steps}
    assert by_title["Advanced SQL project"]["closes"] == ["SQL"]
    assert by_title["Python Foundations"]["closes"] == ["Python (computer programming)"]
    titles = [step["item"]["title"] for step in steps]
    assert titles.index("SQL basics") < titles.index("Advanced SQL project")
    assert titles.index("Python Foundations") < titles.index("Advanced SQL project")
    read = _ok(client, world, "GET", f"/paths/{path['id']}", "manager")
    assert read["months"] == path["months"]
    assert [event["kind"] for event in read["events"]] == ["created"]


def test_unreachable_gaps_say_why(client: TestClient, world: World) -> None:
    """Reskilling Ida to Sales Rep: Active Listening 0.8 is taught to 0.3 at most."""
    ida = world.ids["junior"]
    path = _ok(
        client,
        world,
        "POST",
        f"/employees/{ida}/paths",
        "manager",
        json={"mode": "reskill", "target_role_id": world.ids["sales_role"]},
    )
    assert path["target_role"]["title"] == "Sales Rep"
    assert [gap["skill"]["name"] for gap in path["unreachable"]] == ["Active Listening"]
    gap = path["unreachable"][0]
    assert gap["reason"] == "not_taught"
    assert gap["best_level"] == pytest.approx(0.3)
    assert gap["explanation"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"mode": "reskill"}, "target_role_id"),
        ({"mode": "reskill", "target_role_id": 999_999}, "target_role_id"),
        ({"mode": "upskill", "hours_per_week": 500}, "hours_per_week"),
        ({"mode": "upskill", "budget": -5}, "budget"),
        ({"mode": "upskill", "avoid_kinds": ["lecture"]}, "avoid_kinds"),
        ({"mode": "assigned"}, "goals"),
        ({"mode": "assigned", "goals": [{"skill_id": 999_999, "level": 0.6}]}, "goals.skill_id"),
    ],
)
def test_bad_requests_are_422_naming_the_field(
    client: TestClient, world: World, body: dict[str, Any], field: str
) -> None:
    before = _count(client, world, "junior")
    response = _call(
        client, world, "POST", f"/employees/{world.ids['junior']}/paths", "manager", json=body
    )
    assert response.status_code == 422, response.text
    problems = response.json()["problems"]
    assert problems[0]["column"] == field
    assert problems[0]["reason"]
    assert _count(client, world, "junior") == before


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({}, "mode"),
        ({"mode": "sideways"}, "mode"),
        ({"mode": "wanted", "goals": [{"skill_id": 1, "level": 2}]}, "level"),
        ({"mode": "upskill", "start": "not a date"}, "start"),
    ],
)
def test_malformed_bodies_are_422_with_the_location(
    client: TestClient, world: World, body: dict[str, Any], location: str
) -> None:
    response = _call(
        client, world, "POST", f"/employees/{world.ids['junior']}/paths", "manager", json=body
    )
    assert response.status_code == 422, response.text
    assert any(location in problem["loc"] for problem in response.json()["detail"])


def test_people_the_caller_may_not_see_are_404(client: TestClient, world: World) -> None:
    body = {"mode": "upskill"}
    rui, oli = world.ids["analyst"], world.ids["peer"]
    assert (
        _call(client, world, "POST", f"/employees/{rui}/paths", "peer", json=body).status_code
        == 404
    )
    assert (
        _call(client, world, "POST", f"/employees/{oli}/paths", "manager", json=body).status_code
        == 404
    )
    assert (
        _call(client, world, "POST", "/employees/999999/paths", "hr", json=body).status_code == 404
    )
    assert _call(client, world, "GET", f"/employees/{rui}/paths", "peer").status_code == 404
    assert (
        _call(
            client, world, "POST", f"/employees/{rui}/paths/preview", "peer", json=body
        ).status_code
        == 404
    )
    assert client.post(f"/api/v1/employees/{rui}/paths", json=body).status_code == 401
    own = _ok(
        client, world, "POST", f"/employees/{world.ids['junior']}/paths", "manager", json=body
    )
    assert _call(client, world, "GET", f"/paths/{own['id']}", "peer").status_code == 404
    assert _call(client, world, "GET", f"/paths/{own['id']}", "employee").status_code == 404
    assert _call(client, world, "GET", "/paths/999999", "hr").status_code == 404


def test_preview_does_not_save(client: TestClient, world: World) -> None:
    ida = world.ids["junior"]
    before = _count(client, world, "junior")
    preview = _ok(
        client,
        world,
        "POST",
        f"/employees/{ida}/paths/preview",
        "manager",
        json={"mode": "upskill", "hours_per_week": 1},
    )
    assert _count(client, world, "junior") == before
    plan = preview["plan"]
    assert plan["id"] is None
    assert plan["status"] == "preview"
    assert {step["item"]["title"] for step in _steps(plan)} == IDA_PLAN
    assert plan["hours_per_week"] == 1.0
    trade = {t["hours_per_week"]: t for t in preview["trade_offs"]}
    assert set(trade) == {1.0, 2.0, 4.0, 8.0}
    assert trade[1.0]["weeks"] > trade[2.0]["weeks"] > trade[4.0]["weeks"]
    assert all(t["total_hours"] == pytest.approx(15.0) for t in trade.values())


def test_lifecycle_over_the_api(client: TestClient, world: World) -> None:
    """Rui wants Python at 0.6; he proposes, cannot approve his own path, Max approves, Rui
    completes the course and his Python level rises."""
    rui, python = world.ids["analyst"], world.ids["python"]
    path = _ok(
        client,
        world,
        "POST",
        f"/employees/{rui}/paths",
        "employee",
        json={"mode": "wanted", "goals": [{"skill_id": python, "level": 0.6}]},
    )
    path_id = path["id"]
    assert [step["item"]["title"] for step in _steps(path)] == ["Python Foundations"]
    assert path["can_edit"] is True
    assert path["can_decide"] is False
    proposed = _ok(
        client, world, "POST", f"/paths/{path_id}/propose", "employee", json={"note": "Please"}
    )
    assert proposed["status"] == "proposed"
    assert _call(client, world, "POST", f"/paths/{path_id}/propose", "employee").status_code == 409
    queue = _ok(client, world, "GET", "/paths/approvals", "manager")
    assert path_id in [item["id"] for item in queue]
    assert _ok(client, world, "GET", "/paths/approvals", "employee") == []
    decision = {"approve": True}
    assert (
        _call(
            client, world, "POST", f"/paths/{path_id}/decision", "employee", json=decision
        ).status_code
        == 403
    )
    assert (
        _call(
            client, world, "POST", f"/paths/{path_id}/decision", "peer", json=decision
        ).status_code
        == 404
    )
    no_note = _call(
        client, world, "POST", f"/paths/{path_id}/decision", "manager", json={"approve": False}
    )
    assert no_note.status_code == 422
    assert no_note.json()["problems"][0]["column"] == "note"
    approved = _ok(client, world, "POST", f"/paths/{path_id}/decision", "manager", json=decision)
    assert approved["status"] == "approved"
    assert approved["decided_by"] == world.emails["manager"]
    assert (
        _call(
            client, world, "POST", f"/paths/{path_id}/decision", "manager", json=decision
        ).status_code
        == 409
    )
    step = _steps(approved)[0]
    bad_score = _call(
        client,
        world,
        "POST",
        f"/paths/{path_id}/steps/{step['id']}/complete",
        "employee",
        json={"score": 3},
    )
    assert bad_score.status_code == 422
    done = _ok(
        client, world, "POST", f"/paths/{path_id}/steps/{step['id']}/complete", "employee", json={}
    )
    changed = {c["skill"]["id"]: c for c in done["changed_skills"]}
    assert changed[python]["to_level"] > changed[python]["from_level"]
    assert changed[python]["to_level"] >= 0.6 - 1e-9
    assert done["path"]["status"] == "completed"  # its only step
    assert done["path"]["progress"]["percent"] == 100.0
    again = _call(
        client, world, "POST", f"/paths/{path_id}/steps/{step['id']}/complete", "employee", json={}
    )
    assert again.status_code == 409
    evidence = _ok(
        client,
        world,
        "GET",
        f"/employees/{rui}/evidence?skill_id={python}&source=learning",
        "employee",
    )
    assert evidence["total"] == 1
    profile = _ok(client, world, "GET", f"/employees/{rui}/profile/skills/{python}", "employee")
    assert profile["level"] == pytest.approx(changed[python]["to_level"])
    events = [e["kind"] for e in _ok(client, world, "GET", f"/paths/{path_id}", "hr")["events"]]
    assert events == ["created", "proposed", "approved", "activated", "step_done", "completed"]


def test_abandon_replan_and_current(client: TestClient, world: World) -> None:
    ida = world.ids["junior"]
    path = _ok(
        client, world, "POST", f"/employees/{ida}/paths", "manager", json={"mode": "upskill"}
    )
    current = _ok(client, world, "GET", f"/employees/{ida}/paths/current", "manager")
    assert current["status"] in ("draft", "proposed", "approved", "active")
    replanned = _ok(client, world, "POST", f"/paths/{path['id']}/replan", "manager")
    assert replanned["revision"] == 2
    assert replanned["events"][-1]["kind"] == "replanned"
    assert replanned["events"][-1]["details"]["removed"] == []
    gone = _ok(
        client, world, "POST", f"/paths/{path['id']}/abandon", "manager", json={"note": "Later"}
    )
    assert gone["status"] == "abandoned"
    assert (
        _call(client, world, "POST", f"/paths/{path['id']}/abandon", "manager").status_code == 409
    )
    assert _call(client, world, "POST", f"/paths/{path['id']}/replan", "manager").status_code == 409


def test_templates_and_cohorts_over_the_api(client: TestClient, world: World) -> None:
    body = {"name": "Analyst academy", "mode": "upskill"}
    assert _call(client, world, "POST", "/path-templates", "manager", json=body).status_code == 403
    template = _ok(client, world, "POST", "/path-templates", "hr", json=body)
    assert _call(client, world, "POST", "/path-templates", "hr", json=body).status_code == 409
    # Ida is already on an open path (a draft), Cara has no role to upskill in: both refused.
    ida, rui = world.ids["junior"], world.ids["analyst"]
    _ok(client, world, "POST", f"/employees/{ida}/paths", "manager", json={"mode": "upskill"})
    cohort_body = {"name": "Autumn", "employee_ids": [ida, rui, world.ids["ceo"]]}
    assert (
        _call(
            client,
            world,
            "POST",
            f"/path-templates/{template['id']}/cohorts",
            "manager",
            json=cohort_body,
        ).status_code
        == 403
    )
    response = _call(
        client, world, "POST", f"/path-templates/{template['id']}/cohorts", "hr", json=cohort_body
    )
    assert response.status_code == 201, response.text
    cohort = response.json()
    assert [m["path"]["employee"]["id"] for m in cohort["members"]] == [rui]
    assert cohort["members"][0]["path"]["status"] == "approved"
    assert len(cohort["refused"]) == 2
    refused = sorted(cohort["refused"])
    assert refused[0].startswith("Cara Boss:")
    assert refused[1].startswith("Ida Junior: already on an open path")
    assert _ok(client, world, "GET", f"/path-cohorts/{cohort['id']}", "hr")["id"] == cohort["id"]
    assert (
        _call(client, world, "GET", f"/path-cohorts/{cohort['id']}", "manager").status_code == 403
    )
    assert _call(client, world, "GET", "/path-templates", "employee").status_code == 403


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('{"mode": "upskill", "budget": NaN}', "budget"),
        ('{"mode": "upskill", "budget": Infinity}', "budget"),
        ('{"mode": "upskill", "hours_per_week": NaN}', "hours_per_week"),
        ('{"mode": "upskill", "hours_per_week": -Infinity}', "hours_per_week"),
    ],
)
def test_non_finite_numbers_are_422_not_500(
    client: TestClient, world: World, raw: str, field: str
) -> None:
    """Python's JSON parser accepts NaN and Infinity: they are refused like any bad value."""
    headers = {**bearer(world.tokens["manager"]), "Content-Type": "application/json"}
    for url in (
        f"/api/v1/employees/{world.ids['junior']}/paths",
        f"/api/v1/employees/{world.ids['junior']}/paths/preview",
    ):
        response = client.post(url, content=raw, headers=headers)
        assert response.status_code == 422, response.text
        assert response.json()["problems"][0]["column"] == field
