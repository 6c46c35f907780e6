"""Career paths over HTTP: the two API routes (visibility, bad input) and the /careers page (the
answer, cards, the reskilling link, the map, the role explorer, someone else's paths)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.db.session import make_engine
from skillpath.domains.evidence import service as evidence_service
from skillpath.domains.evidence.models import EmployeeSkill
from skillpath.domains.people.models import Employee, Move
from skillpath.domains.taxonomy.models import Skill
from tests.factories import make_employee, make_role
from tests.web.conftest import bearer, log_in, migrated_database, seed_world
from tests.web.world import World


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def web_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, World]]:
    """The known company plus a Senior Data Analyst role that three analysts moved into (after
    10, 14 and 30 months) and consolidated profiles; a database of this module's own."""
    for url in migrated_database(request.param, tmp_path_factory):
        world = seed_world(url)
        engine = make_engine(url)
        try:
            with Session(engine, expire_on_commit=False) as session:
                sql = session.get_one(Skill, world.ids["sql"])
                python = session.get_one(Skill, world.ids["python"])
                senior = make_role(
                    session,
                    "Senior Data Analyst",
                    family="Data",
                    level=2,
                    skills=[(sql, 0.8, 0.9), (python, 0.6, 0.5)],
                )
                for n, moved in enumerate((date(2020, 11, 1), date(2021, 3, 1), date(2022, 7, 1))):
                    mover = make_employee(
                        session, f"Mover{n}", role=senior, hired_on=date(2020, 1, 1)
                    )
                    session.add(
                        Move(
                            employee_id=mover.id,
                            moved_on=moved,
                            kind="promotion",
                            from_role_id=world.ids["analyst_role"],
                            to_role_id=senior.id,
                        )
                    )
                evidence_service.rebuild_profiles(session)
                session.commit()
                world.ids["senior_role"] = senior.id
        finally:
            engine.dispose()
        yield url, world


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


# API


def test_career_paths_api_ranks_the_move_people_made(client: TestClient, world: World) -> None:
    response = client.get(
        f"/api/v1/employees/{world.ids['analyst']}/career-paths",
        params={"limit": 5, "steps": 2},
        headers=bearer(world.tokens["employee"]),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["current_role"]["title"] == "Data Analyst"
    assert body["moves_in_history"] == 3
    first = body["items"][0]
    assert first["role"]["title"] == "Senior Data Analyst"
    assert first["observed_moves"] == 3
    assert first["months_observed"] is True
    assert first["typical_months"] == pytest.approx(14.0, abs=0.2)
    # Similarity: SQL 0.6/0.8 at 0.9, Python 0.4/0.6 at 0.5; score = (4·sim + 3) / 7.
    similarity = (0.9 * 0.6 / 0.8 + 0.5 * 0.4 / 0.6) / (0.9 + 0.5)
    assert first["similarity"] == pytest.approx(similarity)
    assert first["score"] == pytest.approx((4 * similarity + 3) / 7)
    assert [r["title"] for r in first["path"]] == ["Data Analyst", "Senior Data Analyst"]
    assert 0 < first["readiness"] < 1
    assert first["missing_skills"]
    assert first["why"].startswith("3 people moved from Data Analyst to this role")


def test_career_paths_api_visibility_and_bad_input(client: TestClient, world: World) -> None:
    path = f"/api/v1/employees/{world.ids['analyst']}/career-paths"
    assert client.get(path, headers=bearer(world.tokens["peer"])).status_code == 404
    assert client.get(path, headers=bearer(world.tokens["manager"])).status_code == 200
    assert client.get(path, headers=bearer(world.tokens["hr"])).status_code == 200
    assert client.get(path).status_code == 401
    for params in ({"limit": 0}, {"limit": 101}, {"steps": 3}, {"steps": "x"}):
        response = client.get(path, params=params, headers=bearer(world.tokens["hr"]))
        assert response.status_code == 422, params


def test_next_roles_api_both_ways(client: TestClient, world: World) -> None:
    token = bearer(world.tokens["peer"])
    analyst = client.get(f"/api/v1/roles/{world.ids['analyst_role']}/next-roles", headers=token)
    assert analyst.status_code == 200, analyst.text
    assert [n["role"]["title"] for n in analyst.json()["next_roles"]] == ["Senior Data Analyst"]
    senior = client.get(
        f"/api/v1/roles/{world.ids['senior_role']}/next-roles", params={"limit": 3}, headers=token
    ).json()
    incoming = {n["role"]["title"]: n["edge"] for n in senior["previous_roles"]}
    assert incoming["Data Analyst"]["observed_moves"] == 3
    assert client.get("/api/v1/roles/999999/next-roles", headers=token).status_code == 404
    bad = client.get(
        f"/api/v1/roles/{world.ids['analyst_role']}/next-roles",
        params={"limit": 0},
        headers=token,
    )
    assert bad.status_code == 422


# Page


def test_my_career_paths_page(client: TestClient, world: World) -> None:
    log_in(client, world.emails["employee"])
    response = client.get("/careers")
    assert response.status_code == 200, response.text
    page = response.text
    text = _text(page)
    assert "Career paths" in text
    assert "1 role you could reach within two steps of Data Analyst." in text
    assert "The closest is Senior Data Analyst:" in text
    assert "3 people moved from Data Analyst to this role. Your profile covers" in text
    assert "(median of observed moves)" in text
    assert f'href="/paths/new?mode=reskill&amp;target_role_id={world.ids["senior_role"]}"' in page
    assert "data-careers-chart" in page
    assert "/static/vendor/echarts/echarts.min.js" in page
    assert 'href="/careers" aria-current="page"' in page  # the nav entry
    # The explorer starts at the current role and lists where it leads.
    assert f'<option value="{world.ids["analyst_role"]}" selected>' in page
    assert "Where it leads" in text
    assert "Where people come from" in text


def test_one_step_and_the_explorer(client: TestClient, world: World) -> None:
    log_in(client, world.emails["employee"])
    page = _text(client.get("/careers", params={"steps": "1"}).text)
    assert "1 role you could move to next from Data Analyst." in page
    explored = client.get("/careers", params={"role": str(world.ids["senior_role"])})
    assert explored.status_code == 200
    text = _text(explored.text)
    assert "Senior Data Analyst, level 2." in text
    assert "Where people come from" in text
    for bad in ({"steps": "x"}, {"steps": "5"}, {"role": "-1"}, {"employee": "abc"}):
        assert client.get("/careers", params=bad).status_code in (404, 422), bad
    assert client.get("/careers", params={"role": "999999"}).status_code == 404


def test_someone_elses_career_paths(client: TestClient, world: World) -> None:
    log_in(client, world.emails["manager"])
    page = client.get("/careers", params={"employee": str(world.ids["analyst"])})
    assert page.status_code == 200
    text = _text(page.text)
    assert "Career paths of Rui Analyst" in text
    assert "The profile of Rui Analyst covers" in text
    assert "/paths/new" not in page.text  # planning is for oneself
    peer = TestClient(client.app)
    log_in(peer, world.emails["peer"])
    assert peer.get("/careers", params={"employee": str(world.ids["analyst"])}).status_code == 404


def test_hr_without_an_employee_record_can_explore(client: TestClient, world: World) -> None:
    log_in(client, world.emails["hr"])
    response = client.get("/careers")
    assert response.status_code == 200
    text = _text(response.text)
    assert "Your login is not linked to an employee record" in text
    assert "Explore a role" in text
    assert 'href="/careers"' not in response.text.split("</nav>")[0]  # no nav entry


def test_the_data_is_consolidated(world: World, web_database: tuple[str, World]) -> None:
    """The fixture's premise: Rui has consolidated levels (the readiness is not a default)."""
    engine = make_engine(web_database[0])
    try:
        with Session(engine) as session:
            rui = session.scalars(select(Employee).where(Employee.id == world.ids["analyst"]))
            assert rui.one().role_id == world.ids["analyst_role"]
            levels = session.scalars(
                select(EmployeeSkill.level).where(EmployeeSkill.employee_id == world.ids["analyst"])
            ).all()
            assert levels
    finally:
        engine.dispose()
