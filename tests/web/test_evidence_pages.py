"""The skills profile pages, the rate form, intents and the validation queue (own database: the
tests write). Cara (executive) ← Max (manager) ← Rui, Ida (Data); Cara ← Oli (Sales)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from skillpath.core.levels import FIVE_POINT
from skillpath.db.session import make_engine
from skillpath.domains.evidence import service
from skillpath.web.pages.evidence import LEVEL_DESCRIPTORS
from skillpath.web.templating import navigation
from tests.web.conftest import csrf_from, log_in, migrated_database, seed_world
from tests.web.world import World

HX = {"HX-Request": "true"}


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def web_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, World]]:
    """A database of this module's own (the tests write evidence), with profiles built."""
    for url in migrated_database(request.param, tmp_path_factory):
        world = seed_world(url)
        engine = make_engine(url)
        with Session(engine) as session:
            service.rebuild_profiles(session)
            session.commit()
        engine.dispose()
        yield url, world


def _as(client: TestClient, world: World, who: str) -> str:
    """Log in and return a CSRF token of the session."""
    log_in(client, world.emails[who])
    return csrf_from(client.get("/my-skills" if who != "hr" else "/people").text)


def test_my_skills_answers_first_and_explains_each_level(client: TestClient, world: World) -> None:
    """Rui's page: the answer names his strongest skills, the table shows the level on the
    5-point scale and a confidence word (not colour alone), and "Why?" loads the breakdown."""
    log_in(client, world.emails["employee"])
    page = client.get("/my-skills")
    assert page.status_code == 200
    html = page.text
    answer = re.search(r'<p class="answer">(.*?)</p>', html, re.S)
    assert answer is not None
    assert "SQL" in answer.group(1)
    assert re.search(r'class="band band-(low|medium|high)">(Low|Medium|High)<', html)
    assert f"/people/{world.ids['analyst']}/skills/{world.ids['sql']}/why" in html
    assert "Rate a skill" in html
    assert "Teammates can endorse your skills" in html
    fragment = client.get(
        f"/people/{world.ids['analyst']}/skills/{world.ids['sql']}/why", headers=HX
    )
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert "Share of the level" in fragment.text
    assert "Max Manager" in fragment.text
    full = client.get(f"/people/{world.ids['analyst']}/skills/{world.ids['sql']}/why")
    assert full.status_code == 200
    assert "<h1>" in full.text
    assert (
        client.get(f"/people/{world.ids['analyst']}/skills", follow_redirects=False).headers[
            "location"
        ]
        == "/my-skills"
    )


def test_who_sees_whose_skills_page(client: TestClient, world: World) -> None:
    """Max sees Rui's page with a rate form; HR sees it read-only; Oli gets 404."""
    rui = f"/people/{world.ids['analyst']}/skills"
    log_in(client, world.emails["manager"])
    manager_view = client.get(rui)
    assert manager_view.status_code == 200
    assert "Rate Rui Analyst" in manager_view.text
    with TestClient(client.app) as hr:
        log_in(hr, world.emails["hr"])
        hr_view = hr.get(rui)
        assert hr_view.status_code == 200
        assert "Rate Rui Analyst" not in hr_view.text
        assert 'action="/my-skills/rate"' not in hr_view.text
    with TestClient(client.app) as oli:
        log_in(oli, world.emails["peer"])
        assert oli.get(rui).status_code == 404
        assert oli.get(f"{rui}/{world.ids['sql']}/why").status_code == 404


def test_rate_validate_and_see_the_level_move(client: TestClient, world: World) -> None:
    """Rui rates Python 4/5 through the form; the next page says so and shows the consolidated
    level; Max finds it in his queue (the menu counts it) and adjusts it with a comment."""
    token = _as(client, world, "employee")
    response = client.post(
        "/my-skills/rate",
        data={
            "csrf_token": token,
            "employee_id": str(world.ids["analyst"]),
            "skill_id": str(world.ids["python"]),
            "display_level": "4",
            "note": "Pandas every day",
            "endorse": "1",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    after = client.get(response.headers["location"]).text
    assert "Saved: you rated yourself Advanced (4/5) in Python (computer programming)." in after
    assert "The consolidated level went from" in after
    assert "Your manager will see it in their validation queue." in after
    assert "Waiting" in after  # the self-rating sent for validation
    with TestClient(client.app) as max_:
        max_token = _as(max_, world, "manager")
        queue = max_.get("/validation").text
        assert "Validation (1)" in queue
        assert "Pandas every day" in queue
        request_id = re.search(r'action="/validation/(\d+)"', queue)
        assert request_id is not None
        refused = max_.post(
            f"/validation/{request_id.group(1)}",
            data={"csrf_token": max_token, "decision": "adjust", "display_level": "3"},
        )
        assert refused.status_code == 422
        assert "comment" in refused.text
        decided = max_.post(
            f"/validation/{request_id.group(1)}",
            data={
                "csrf_token": max_token,
                "decision": "adjust",
                "display_level": "3",
                "comment": "Solid; we will pair on tests.",
            },
            follow_redirects=False,
        )
        assert decided.status_code == 303
        done = max_.get("/validation").text
        assert "Saved: you adjusted the self-rating of Rui Analyst." in done
        assert "Solid; we will pair on tests." in done
        assert "Nothing waits for you." in done
        assert "Validation (1)" not in done
    mine = client.get("/my-skills").text
    assert "Adjusted" in mine
    assert "Solid; we will pair on tests." in mine


def test_refused_ratings_show_the_form_again(client: TestClient, world: World) -> None:
    """No CSRF token: 403. A level out of range or no skill: the page again with the reason
    (422) and the note kept. Rating someone outside one's line: 404."""
    token = _as(client, world, "employee")
    data = {
        "employee_id": str(world.ids["analyst"]),
        "skill_id": str(world.ids["sql"]),
        "display_level": "9",
        "note": "keep me",
    }
    assert client.post("/my-skills/rate", data=data).status_code == 403
    bad = client.post("/my-skills/rate", data={**data, "csrf_token": token})
    assert bad.status_code == 422
    assert "The rating was not saved" in bad.text
    assert "keep me" in bad.text
    no_skill = client.post(
        "/my-skills/rate", data={**data, "skill_id": "", "display_level": "3", "csrf_token": token}
    )
    assert no_skill.status_code == 422
    assert "choose a skill from the search" in no_skill.text
    outside = client.post(
        "/my-skills/rate",
        data={
            **data,
            "employee_id": str(world.ids["manager"]),
            "display_level": "3",
            "csrf_token": token,
        },
    )
    assert outside.status_code == 404


def test_intents_save_in_place(client: TestClient, world: World) -> None:
    """Changing the intent select saves it (HTMX fragment with "Saved"); a bad value is 422."""
    token = _as(client, world, "employee")
    path = f"/people/{world.ids['analyst']}/intents"
    saved = client.post(
        path,
        data={"csrf_token": token, "skill_id": str(world.ids["sql"]), "intent": "develop"},
        headers=HX,
    )
    assert saved.status_code == 200
    assert "Saved" in saved.text
    assert 'value="develop" selected' in saved.text
    bad = client.post(
        path, data={"csrf_token": token, "skill_id": str(world.ids["sql"]), "intent": "maybe"}
    )
    assert bad.status_code == 422
    assert 'value="develop" selected' in client.get("/my-skills").text


def test_skill_search_offers_skills_not_groups(client: TestClient, world: World) -> None:
    """The rate form's search lists matching skills as radio buttons, never a group."""
    log_in(client, world.emails["employee"])
    found = client.get("/my-skills/skill-search", params={"q": "sq"}, headers=HX).text
    assert f'value="{world.ids["sql"]}"' in found
    groups = client.get("/my-skills/skill-search", params={"q": "ICT"}, headers=HX).text
    assert f'value="{world.ids["esco_group"]}"' not in groups
    assert "No skill matches" in groups
    assert "at least two letters" in client.get("/my-skills/skill-search", params={"q": "s"}).text
    without_js = client.get("/my-skills", params={"q": "python"}).text
    assert f'name="skill_id" value="{world.ids["python"]}"' in without_js


def test_bulk_approve_from_the_queue(client: TestClient, world: World) -> None:
    """Two self-ratings ticked and approved at once."""
    token = _as(client, world, "employee")
    for skill in ("sql", "listening"):
        client.post(
            "/my-skills/rate",
            data={"csrf_token": token, "skill_id": str(world.ids[skill]), "display_level": "3"},
        )
    with TestClient(client.app) as max_:
        max_token = _as(max_, world, "manager")
        queue = max_.get("/validation").text
        ids = re.findall(r'name="ids" value="(\d+)"', queue)
        assert len(ids) == 2
        response = max_.post(
            "/validation", data={"csrf_token": max_token, "ids": ids}, follow_redirects=False
        )
        assert response.status_code == 303
        assert "Saved: 2 self-ratings approved." in max_.get("/validation").text
        assert max_.post("/validation", data={"csrf_token": max_token}).status_code == 422


def test_menu_entries(world: World) -> None:
    """ "My skills" for anyone with an employee record; "Validation" for managers, counted."""

    class Person:
        def __init__(self, role: str, employee_id: int | None) -> None:
            self.role = role
            self.employee_id = employee_id

    employee = [path for _label, path in navigation(Person("employee", 3))]  # type: ignore[arg-type]
    assert "/my-skills" in employee
    assert "/validation" not in employee
    hr = [path for _label, path in navigation(Person("hr_admin", None))]  # type: ignore[arg-type]
    assert "/my-skills" not in hr
    manager = dict(navigation(Person("manager", 2), {"/validation": 3}))  # type: ignore[arg-type]
    assert "Validation (3)" in manager


def test_level_descriptors_are_the_scales() -> None:
    """The descriptors marked for translation are exactly the 5-point scale's."""
    assert tuple(LEVEL_DESCRIPTORS) == FIVE_POINT.descriptors


def test_every_reason_of_the_capture_service_is_extracted_for_translation() -> None:
    """The pages list each refused-value reason of the capture service for `make messages`."""
    from skillpath.domains.evidence import capture
    from skillpath.web.pages.evidence import PROBLEM_REASONS

    reasons = {
        value
        for name, value in vars(capture).items()
        if name.isupper() and isinstance(value, str) and name != "NOT_VALID"
    }
    assert len(reasons) == 21
    assert reasons == set(PROBLEM_REASONS)
