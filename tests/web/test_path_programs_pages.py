"""The learning-path program pages: managers' approval queue (approve, request changes), HR's
templates (with refused input), assigning a template to a cohort and the cohort's progress."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from skillpath.db.session import make_engine
from skillpath.domains.people.models import Employee
from skillpath.web.templating import navigation
from tests.factories import make_employee, make_user
from tests.web.conftest import bearer, csrf_from, log_in, migrated_database, seed_world
from tests.web.world import World

OTHER_MANAGER = "una@example.com"


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def web_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, World]]:
    """A database of this module's own (these tests create paths, templates and cohorts), with
    a second manager outside Max's reporting line: Una, who reports to Cara and leads nobody."""
    for url in migrated_database(request.param, tmp_path_factory):
        world = seed_world(url)
        engine = make_engine(url)
        try:
            with Session(engine) as session:
                ceo = session.get(Employee, world.ids["ceo"])
                una = make_employee(session, "Una", "Other", manager=ceo)
                make_user(session, role="manager", employee=una, email=OTHER_MANAGER)
                session.commit()
        finally:
            engine.dispose()
        yield url, world


def _api(client: TestClient, world: World, method: str, path: str, who: str, **kw: Any) -> Any:
    return client.request(method, f"/api/v1{path}", headers=bearer(world.tokens[who]), **kw)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def _proposed_path(client: TestClient, world: World, title: str) -> int:
    """Rui plans the SQL level he wants and sends it to Max."""
    created = _api(
        client,
        world,
        "POST",
        f"/employees/{world.ids['analyst']}/paths",
        "employee",
        json={"mode": "wanted", "goals": [{"skill_id": world.ids["sql"], "level": 0.8}]}
        | {"title": title},
    )
    assert created.status_code == 201, created.text
    path_id: int = created.json()["id"]
    proposed = _api(client, world, "POST", f"/paths/{path_id}/propose", "employee", json={})
    assert proposed.status_code == 200, proposed.text
    return path_id


def _status(client: TestClient, world: World, path_id: int) -> dict[str, Any]:
    found: dict[str, Any] = _api(client, world, "GET", f"/paths/{path_id}", "hr").json()
    return found


def _page(client: TestClient, email: str, path: str) -> tuple[str, str]:
    """Log in, open a page; its HTML and a CSRF token."""
    log_in(client, email)
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.text, csrf_from(response.text)


# The approval queue


def test_the_queue_shows_a_proposed_path_to_the_manager_only(
    client: TestClient, world: World
) -> None:
    path_id = _proposed_path(client, world, "SQL for the quarterly report")
    html, _token = _page(client, world.emails["manager"], "/paths/approvals")
    row = re.search(rf'<tr id="path-{path_id}".*?</tr>', html, re.S)
    assert row is not None
    assert "Rui Analyst" in row.group(0)
    assert "SQL for the quarterly report" in row.group(0)
    assert f'href="/paths/{path_id}"' in row.group(0)
    assert re.search(r"\d+ plans? waits? for your decision", _text(html))
    assert re.search(r">Path approvals \(\d+\)<", html)  # the menu's number

    other = TestClient(client.app)
    html, _token = _page(other, OTHER_MANAGER, "/paths/approvals")
    assert f'id="path-{path_id}"' not in html
    assert "No plan waits for your decision" in _text(html)
    assert ">Path approvals<" in html


def test_approve_from_the_queue(client: TestClient, world: World) -> None:
    path_id = _proposed_path(client, world, "Approve me")
    other = TestClient(client.app)
    _html, other_token = _page(other, OTHER_MANAGER, "/paths/approvals")
    refused = other.post(
        f"/paths/approvals/{path_id}",
        data={"csrf_token": other_token, "decision": "approve"},
        follow_redirects=False,
    )
    assert refused.status_code == 404  # outside Una's line: as if the path did not exist
    _html, token = _page(client, world.emails["manager"], "/paths/approvals")
    no_token = client.post(
        f"/paths/approvals/{path_id}", data={"decision": "approve"}, follow_redirects=False
    )
    assert no_token.status_code == 403
    assert _status(client, world, path_id)["status"] == "proposed"
    done = client.post(
        f"/paths/approvals/{path_id}",
        data={"csrf_token": token, "decision": "approve"},
        follow_redirects=False,
    )
    assert (done.status_code, done.headers["location"]) == (303, "/paths/approvals")
    after = _status(client, world, path_id)
    assert (after["status"], after["decided_by"]) == ("approved", world.emails["manager"])
    page = _text(client.get("/paths/approvals").text)
    assert "you approved “Approve me” for Rui Analyst" in page
    again = client.post(
        f"/paths/approvals/{path_id}",
        data={"csrf_token": token, "decision": "changes", "note": "Too late"},
        follow_redirects=False,
    )
    assert again.status_code == 409  # approved already: only proposed paths go back
    assert "This path is approved" in _text(again.text)


def test_request_changes_needs_a_note(client: TestClient, world: World) -> None:
    path_id = _proposed_path(client, world, "Change me")
    _html, token = _page(client, world.emails["manager"], "/paths/approvals")
    empty = client.post(
        f"/paths/approvals/{path_id}",
        data={"csrf_token": token, "decision": "changes", "note": "   "},
        follow_redirects=False,
    )
    assert empty.status_code == 422
    row = re.search(rf'<tr id="path-{path_id}".*?</tr>', empty.text, re.S)
    assert row is not None
    assert 'class="has-error"' in row.group(0)
    assert "say what should change" in _text(row.group(0))
    assert _status(client, world, path_id)["status"] == "proposed"
    bad = client.post(
        f"/paths/approvals/{path_id}",
        data={"csrf_token": token, "decision": "maybe"},
        follow_redirects=False,
    )
    assert bad.status_code == 422
    sent = client.post(
        f"/paths/approvals/{path_id}",
        data={"csrf_token": token, "decision": "changes", "note": "Add the Python prerequisite."},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    after = _status(client, world, path_id)
    assert (after["status"], after["decision_note"]) == ("draft", "Add the Python prerequisite.")
    queue = client.get("/paths/approvals").text
    assert f'id="path-{path_id}"' not in queue
    assert "went back to Rui Analyst as a draft" in _text(queue)


def test_employees_and_managers_cannot_open_hr_pages(client: TestClient, world: World) -> None:
    log_in(client, world.emails["employee"])
    for path in ("/paths/approvals", "/paths/templates", "/paths/cohorts", "/paths/templates/1"):
        assert client.get(path).status_code in (403, 404), path
    assert "/paths/approvals" not in client.get("/").text  # no menu entry either
    manager = TestClient(client.app)
    log_in(manager, world.emails["manager"])
    for path in ("/paths/templates", "/paths/cohorts", "/paths/cohorts/1"):
        assert manager.get(path).status_code == 403, path
    token = csrf_from(manager.get("/paths/approvals").text)
    created = manager.post(
        "/paths/templates",
        data={"csrf_token": token, "name": "Sneaky", "mode": "upskill", "hours_per_week": "2"},
        follow_redirects=False,
    )
    assert created.status_code == 403


# Templates


def _template_form(**changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {"name": "", "mode": "reskill", "hours_per_week": "2", "budget": ""}
    form.update(changes)
    return form


def test_template_creation_refuses_bad_input_next_to_the_field(
    client: TestClient, world: World
) -> None:
    _html, token = _page(client, world.emails["hr"], "/paths/templates")
    bad = client.post(
        "/paths/templates",
        data={"csrf_token": token} | _template_form(hours_per_week="0", budget="lots"),
        follow_redirects=False,
    )
    assert bad.status_code == 422
    assert re.search(r'<ul class="field-error" id="e-name"><li>must not be empty', bad.text)
    assert re.search(r'id="e-hours"><li>must be more than 0 and at most 168', bad.text)
    assert re.search(r'id="e-budget"><li>must be a number', bad.text)
    assert re.search(r'id="t-hours"[^>]*aria-invalid="true"', bad.text)
    assert re.search(r'id="e-target"><li>a target role is needed to reskill', bad.text)
    no_target = client.post(
        "/paths/templates",
        data={"csrf_token": token} | _template_form(name="Into data"),
        follow_redirects=False,
    )
    assert no_target.status_code == 422
    assert re.search(r'id="e-target"><li>a target role is needed to reskill', no_target.text)
    assert 'value="Into data"' in no_target.text  # what was typed is kept
    twice = client.post(
        "/paths/templates",
        data={"csrf_token": token}
        | _template_form(
            name="SQL twice",
            mode="assigned",
            goal_skill_id=[str(world.ids["sql"]), str(world.ids["sql"])],
            goal_level=["3", "4"],
        ),
        follow_redirects=False,
    )
    assert twice.status_code == 422
    assert "a skill is named twice" in _text(twice.text)
    no_level = client.post(
        "/paths/templates",
        data={"csrf_token": token}
        | _template_form(name="No level", mode="assigned", goal_skill_id=[str(world.ids["sql"])]),
        follow_redirects=False,
    )
    assert no_level.status_code == 422
    assert "choose a level for this skill" in _text(no_level.text)
    templates = _api(client, world, "GET", "/path-templates", "hr").json()
    assert not {"Into data", "SQL twice", "No level"} & {t["name"] for t in templates}


def test_template_creation(client: TestClient, world: World) -> None:
    _html, token = _page(client, world.emails["hr"], "/paths/templates")
    created = client.post(
        "/paths/templates",
        data={"csrf_token": token}
        | _template_form(
            name="Query basics",
            mode="assigned",
            hours_per_week="1.5",
            goal_skill_id=[str(world.ids["sql"]), "", str(world.ids["python"])],
            goal_level=["3", "", "2"],
            require_kinds=["e-learning"],
        ),
        follow_redirects=False,
    )
    assert created.status_code == 303, _text(created.text)
    template_id = int(created.headers["location"].rsplit("/", 1)[1])
    read = next(
        t
        for t in _api(client, world, "GET", "/path-templates", "hr").json()
        if t["id"] == template_id
    )
    assert (read["mode"], read["hours_per_week"], read["require_kinds"]) == (
        "assigned",
        1.5,
        ["e-learning"],
    )
    assert sorted((g["skill"]["id"], g["target_level"]) for g in read["goals"]) == sorted(
        [(world.ids["sql"], 0.6), (world.ids["python"], 0.4)]
    )
    page = client.get(f"/paths/templates/{template_id}").text
    assert "The template is saved" in page
    assert "Nobody has a plan from this template yet" in _text(page)
    listing = client.get("/paths/templates").text
    assert f'href="/paths/templates/{template_id}">Query basics</a>' in listing
    same_name = client.post(
        "/paths/templates",
        data={"csrf_token": token} | _template_form(name="Query basics", mode="upskill"),
        follow_redirects=False,
    )
    assert same_name.status_code == 409
    assert re.search(r'id="e-name"><li>A template with this name exists already', same_name.text)


# Cohorts


def _new_template(client: TestClient, world: World, **body: Any) -> int:
    created = _api(client, world, "POST", "/path-templates", "hr", json=body)
    assert created.status_code == 201, created.text
    template_id: int = created.json()["id"]
    return template_id


def test_assigning_a_template_gives_each_member_a_path(client: TestClient, world: World) -> None:
    template_id = _new_template(
        client,
        world,
        name="Engineering → Data Analyst",
        mode="reskill",
        target_role_id=world.ids["analyst_role"],
        hours_per_week=2,
    )
    html, token = _page(client, world.emails["hr"], f"/paths/templates/{template_id}")
    assert f'value="{world.ids["engineering"]}"' in html  # the units picker
    bad = client.post(
        f"/paths/templates/{template_id}/cohorts",
        data={"csrf_token": token, "name": "Nobody", "start": "2030-01-01"},
        follow_redirects=False,
    )
    assert bad.status_code == 422
    assert "name people, units or a role with at least one person" in _text(bad.text)
    bad_date = client.post(
        f"/paths/templates/{template_id}/cohorts",
        data={"csrf_token": token, "name": "X", "start": "soon", "unit_id": "1"},
        follow_redirects=False,
    )
    assert bad_date.status_code == 422
    assert re.search(r'id="e-c-start"><li>must be a date', bad_date.text)
    assigned = client.post(
        f"/paths/templates/{template_id}/cohorts",
        data={
            "csrf_token": token,
            "name": "Engineering spring",
            "start": world.today.isoformat(),
            "unit_id": str(world.ids["engineering"]),  # with Data below it; Fay has left
        },
        follow_redirects=False,
    )
    assert assigned.status_code == 303, _text(assigned.text)
    cohort_id = int(assigned.headers["location"].rsplit("/", 1)[1])
    read = _api(client, world, "GET", f"/path-cohorts/{cohort_id}", "hr").json()
    members = {m["path"]["employee"]["name"]: m["path"] for m in read["members"]}
    # Rui is already on an open path (he planned one earlier): the cohort does not give him a
    # second one, and says so.
    assert sorted(members) == ["Ida Junior", "Max Manager"]
    assert {p["status"] for p in members.values()} == {"approved"}
    assert len({p["id"] for p in members.values()}) == 2  # one path each
    page = client.get(f"/paths/cohorts/{cohort_id}").text
    text = _text(page)
    assert "2 people, 0 active, mean 0% done, 0 behind." in text
    assert "Rui Analyst: already on an open path" in text
    for name, path in members.items():
        assert f'href="/paths/{path["id"]}"' in page
        assert name in text
    by_name = client.get(f"/paths/cohorts/{cohort_id}?sort=name").text
    assert list(re.findall(r"(Ida Junior|Max Manager|Rui Analyst)</a></th>", by_name)) == [
        "Ida Junior",
        "Max Manager",
    ]
    assert client.get(f"/paths/cohorts/{cohort_id}?sort=nonsense").status_code == 422
    listing = client.get("/paths/cohorts").text
    assert f'href="/paths/cohorts/{cohort_id}">Engineering spring</a>' in listing
    assert "Engineering spring" in client.get(f"/paths/templates/{template_id}").text


def test_the_cohort_page_lists_who_could_not_get_a_plan(client: TestClient, world: World) -> None:
    template_id = _new_template(client, world, name="Grow where you are", mode="upskill")
    _html, token = _page(client, world.emails["hr"], f"/paths/templates/{template_id}")
    picker = client.get(
        f"/paths/templates/{template_id}/people",
        params={"q": "boss", "employee_id": str(world.ids["peer"])},
        headers={"HX-Request": "true"},
    )
    assert picker.status_code == 200
    assert re.search(rf'value="{world.ids["peer"]}" checked> Oli Seller', picker.text)
    assert re.search(rf'value="{world.ids["ceo"]}"> Cara Boss', picker.text)
    assigned = client.post(
        f"/paths/templates/{template_id}/cohorts",
        data={
            "csrf_token": token,
            "name": "Mixed",
            "start": world.today.isoformat(),
            "employee_id": [str(world.ids["peer"]), str(world.ids["ceo"])],
        },
        follow_redirects=False,
    )
    assert assigned.status_code == 303
    page = _text(client.get(assigned.headers["location"]).text)
    assert "1 person got a plan from the template. 1 person could not get one:" in page
    assert "Cara Boss: this person has no current role to upskill in" in page
    assert "Oli Seller" in page
    again = _text(client.get(assigned.headers["location"]).text)
    assert "could not get one" not in again  # the notice is shown once


def test_menu_entries() -> None:
    """HR reaches the programs from the menu; managers and executives see the approvals with
    the number waiting; employees see neither."""

    class Person:
        def __init__(self, role: str, employee_id: int | None) -> None:
            self.role = role
            self.employee_id = employee_id

    hr = dict(navigation(Person("hr_admin", None)))  # type: ignore[arg-type]
    assert hr.get("Programs") == "/paths/templates"
    manager = dict(navigation(Person("manager", 2), {"/paths/approvals": 3}))  # type: ignore[arg-type]
    assert manager.get("Path approvals (3)") == "/paths/approvals"
    executive = dict(navigation(Person("executive", 1)))  # type: ignore[arg-type]
    assert executive.get("Path approvals") == "/paths/approvals"
    employee = [path for _label, path in navigation(Person("employee", 3))]  # type: ignore[arg-type]
    assert "/paths/approvals" not in employee
    assert "/paths/templates" not in employee
