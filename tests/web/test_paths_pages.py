"""The learning-path pages: My path, a path's page, the builder with its preview and trade-offs,
and the actions (own database: the tests write). Cara (executive) ← Max (manager) ← Rui, Ida
(Data); Cara ← Oli (Sales, outside Max's line). Added to the world: a paid listening workshop
(Rui reskills to Sales Rep with it) and a Python course (Max assigns it to Ida)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.db.session import make_engine
from skillpath.domains.evidence import service as evidence_service
from skillpath.domains.identity import service as identity
from skillpath.domains.identity.models import User
from skillpath.domains.learning import paths
from skillpath.domains.learning.path_schemas import ExplanationRead, PathRead, Progress
from skillpath.domains.people.schemas import PersonRef
from skillpath.domains.taxonomy.models import Skill
from skillpath.web.pages.paths import (
    PROBLEM_REASONS,
    BuilderForm,
    _request_of,
    explanation_text,
)
from skillpath.web.templating import navigation
from tests.factories import make_item
from tests.web.conftest import csrf_from, log_in, migrated_database, seed_world
from tests.web.world import World

HX = {"HX-Request": "true"}
WORKSHOP = "Listening workshop"
PYTHON_COURSE = "Python foundations"


def add_path_catalog(url: str, world: World) -> None:
    """Build profiles and add the workshop and the Python course (ids into `world.ids`)."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            skill = {s.id: s for s in session.scalars(select(Skill))}
            workshop = make_item(
                session,
                WORKSHOP,
                kind="workshop",
                minutes=480,
                cost=250.0,
                teaches=[(skill[world.ids["listening"]], 0.8)],
            )
            course = make_item(
                session,
                PYTHON_COURSE,
                minutes=240,
                locales=("en", "de"),
                teaches=[(skill[world.ids["python"]], 0.6)],
            )
            world.ids.update(workshop=workshop.id, python_course=course.id)
            evidence_service.rebuild_profiles(session)
            session.commit()
    finally:
        engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def web_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, World]]:
    """A database of this module's own with profiles built and two more catalog items."""
    for url in migrated_database(request.param, tmp_path_factory):
        world = seed_world(url)
        add_path_catalog(url, world)
        yield url, world


def _token(client: TestClient, world: World, who: str) -> str:
    log_in(client, world.emails[who])
    return csrf_from(client.get("/paths/me" if who != "hr" else "/people").text)


def _post(client: TestClient, url: str, **kwargs: Any) -> Response:
    """A form post whose redirect is checked, not followed."""
    return client.post(url, follow_redirects=False, **kwargs)


def _text(html: str) -> str:
    """The visible words of a page, one space between them."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def _reskill(world: World, token: str, **changes: str) -> dict[str, str]:
    form = {
        "csrf_token": token,
        "mode": "reskill",
        "target_role_id": str(world.ids["sales_role"]),
        "hours_per_week": "2",
        "start": world.today.isoformat(),
        "locales": "de, en",
    }
    form.update(changes)
    return form


def test_menu_and_empty_state(client: TestClient, world: World) -> None:
    """Everyone with an employee record gets "My path"; without a path it is a call to build
    one; HR without a record gets a plain explanation instead."""
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        rui = session.scalars(select(User).where(User.email == world.emails["employee"])).one()
        hr = session.scalars(select(User).where(User.email == world.emails["hr"])).one()
        assert ("My path", "/paths/me") in navigation(rui)
        assert ("My path", "/paths/me") not in navigation(hr)
    log_in(client, world.emails["peer"])
    page = client.get("/paths/me")
    assert page.status_code == 200
    assert 'href="/paths/new"' in page.text
    assert "You have no learning path yet" in page.text
    assert 'aria-current="page"' in page.text
    with TestClient(client.app) as hr_client:
        log_in(hr_client, world.emails["hr"])
        assert "not linked to an employee record" in hr_client.get("/paths/me").text


def test_builder_previews_the_plan_and_trade_offs_without_saving(
    client: TestClient, world: World
) -> None:
    """Rui previews a move to Sales Rep: the workshop in month 1, what it closes, the trade-off
    table with his choice marked; nothing is saved; the fragment works through HTMX too."""
    log_in(client, world.emails["employee"])
    token = csrf_from(client.get("/paths/new").text)
    builder = client.get("/paths/new").text
    assert 'value="de, en"' in builder  # default languages: Berlin's and English
    assert 'value="assigned"' not in builder  # goals are assigned by managers and HR only
    preview = _post(
        client, f"/people/{world.ids['analyst']}/paths/preview", data=_reskill(world, token)
    )
    assert preview.status_code == 200
    text = _text(preview.text)
    assert "Preview: Become Sales Rep" in text
    assert "Month 1" in text
    assert WORKSHOP in text
    assert "Active Listening 0/5 → 4/5, reaching the target 4/5" in text
    assert "8 h over 1 month at 2 h a week" in text
    assert "Proven optimal" in text
    rows = re.findall(r"<tr( class=\"chosen\")?>\s*<th scope=\"row\"", preview.text)
    assert len(rows) == 4  # 1, 2, 4 and 8 hours a week
    assert sum(1 for chosen in rows if chosen) == 1
    assert "your choice" in text
    fragment = _post(
        client,
        f"/people/{world.ids['analyst']}/paths/preview",
        data=_reskill(world, token),
        headers=HX,
    )
    assert fragment.status_code == 200
    assert 'id="preview-title"' in fragment.text
    assert paths_of_rui(client, world) == []


def paths_of_rui(client: TestClient, world: World) -> list[str]:
    """Titles of Rui's saved paths (read as HR through the service)."""
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        hr = session.scalars(select(User).where(User.email == world.emails["hr"])).one()
        viewer = identity.viewer_for(hr)
        return [p.title for p in paths.paths_of(session, viewer=viewer, employee_id=rui(world))]


def rui(world: World) -> int:
    return world.ids["analyst"]


def test_impossible_requests_are_explained(client: TestClient, world: World) -> None:
    """No time, a language no item has, and no budget for the only (paid) workshop each give
    the reason and the closest alternative, never an empty plan."""
    log_in(client, world.emails["employee"])
    token = csrf_from(client.get("/paths/new").text)
    url = f"/people/{rui(world)}/paths/preview"
    no_time = _text(_post(client, url, data=_reskill(world, token, hours_per_week="0")).text)
    assert "Why no plan can be made" in no_time
    assert "at 0 hours a week nothing can be scheduled" in no_time
    language = _text(_post(client, url, data=_reskill(world, token, locales="xx")).text)
    assert "No item of the catalog is available in xx" in language
    assert "kept out by: language" in language
    budget = _text(_post(client, url, data=_reskill(world, token, budget="0")).text)
    assert "Why no plan can be made" in budget
    assert "1 gap this path cannot close" in budget
    assert f"{WORKSHOP} · Workshop · reaches 4/5 · kept out by: budget" in budget
    assert "Month 1" not in budget


def test_bad_input_is_shown_next_to_its_field(client: TestClient, world: World) -> None:
    """Unreadable hours, a reskill without a role and an employee assigning goals come back
    with the form, the value kept and the reason next to the field (422, no stack trace)."""
    log_in(client, world.emails["employee"])
    token = csrf_from(client.get("/paths/new").text)
    url = f"/people/{rui(world)}/paths/preview"
    hours = _post(client, url, data=_reskill(world, token, hours_per_week="lots"))
    assert hours.status_code == 422
    assert re.search(
        r'id="hours"[^>]*value="lots" aria-describedby="hours-hint error-hours_per_week"'
        r' aria-invalid="true"',
        hours.text,
    )
    assert re.search(r'id="error-hours_per_week">must be a number \(got', hours.text)
    role = _post(client, url, data=_reskill(world, token, target_role_id=""))
    assert role.status_code == 422
    assert 'id="error-target_role_id">a target role is needed to reskill<' in role.text
    saving = _post(
        client, f"/people/{rui(world)}/paths", data=_reskill(world, token, mode="assigned")
    )
    assert saving.status_code == 422
    assert 'id="error-mode">choose one of the kinds of path offered' in saving.text
    swapped = _post(client, url, data=_reskill(world, token, hours_per_week="-3"), headers=HX)
    assert swapped.status_code == 200  # HTMX swaps only successful answers
    assert "must be between 0 and 168 hours a week" in swapped.text
    no_csrf = _post(client, url, data={"mode": "upskill"})
    assert no_csrf.status_code == 403


def test_save_propose_approve_complete(client: TestClient, world: World) -> None:
    """Rui saves the draft and sends it to Max; Max sees it (Oli does not); once approved Rui
    marks the workshop done and the page says how Active Listening moved; his profile has it."""
    log_in(client, world.emails["employee"])
    token = csrf_from(client.get("/paths/new").text)
    assert "Active Listening" not in client.get("/my-skills").text
    saved = _post(client, f"/people/{rui(world)}/paths", data=_reskill(world, token))
    assert saved.status_code == 303
    assert re.fullmatch(r"/paths/\d+", saved.headers["location"])
    assert "Saved as a draft" in client.get(saved.headers["location"]).text
    mine = client.get("/paths/me").text
    text = _text(mine)
    assert "Become Sales Rep Draft" in text
    assert "Send to my manager" in text
    assert "Send it to Max Manager to approve" in text
    path_id = int(saved.headers["location"].rsplit("/", 1)[1])
    assert f'action="/paths/{path_id}/propose"' in mine  # the draft is the current path
    proposed = _post(
        client,
        f"/paths/{path_id}/propose",
        data={"csrf_token": token, "back": "me", "note": "Q3 goal"},
    )
    assert proposed.status_code == 303
    assert proposed.headers["location"] == "/paths/me"
    waiting = _text(client.get("/paths/me").text)
    assert "Sent for approval." in waiting
    assert "Waiting for Max Manager to approve." in waiting
    assert "Q3 goal" in waiting  # the history keeps the note

    with TestClient(client.app) as max_:
        log_in(max_, world.emails["manager"])
        seen = max_.get(f"/paths/{path_id}")
        assert seen.status_code == 200
        assert "Learning path of Rui Analyst" in seen.text
        assert 'href="/paths/approvals"' in seen.text
        assert max_.get(f"/people/{rui(world)}/path").status_code == 200
    with TestClient(client.app) as oli:
        log_in(oli, world.emails["peer"])
        assert oli.get(f"/paths/{path_id}").status_code == 404
        assert oli.get(f"/people/{rui(world)}/path").status_code == 404
        assert oli.get(f"/people/{rui(world)}/paths/new").status_code == 404
        oli_token = csrf_from(oli.get("/paths/me").text)
        assert (
            _post(oli, f"/paths/{path_id}/abandon", data={"csrf_token": oli_token}).status_code
            == 404
        )

    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        manager = session.scalars(select(User).where(User.email == world.emails["manager"])).one()
        paths.decide_path(
            session, viewer=identity.viewer_for(manager), path_id=path_id, approve=True
        )
        session.commit()

    approved = client.get("/paths/me").text
    assert "Approved by max@example.com." in _text(approved)
    assert f'action="/paths/{path_id}/start"' in approved
    started = _post(client, f"/paths/{path_id}/start", data={"csrf_token": token, "back": "me"})
    assert started.status_code == 303
    approved = client.get("/paths/me").text
    assert "The path has started." in _text(approved)
    assert re.search(r'<progress id="path-progress" max="100" value="0.0"', approved)
    assert f'action="/paths/{path_id}/start"' not in approved
    step_id = int(
        re.search(rf'action="/paths/{path_id}/steps/(\d+)/complete"', approved).group(1)  # type: ignore[union-attr]
    )
    home = _text(client.get("/").text)
    assert f"Next step: {WORKSHOP}" in home
    bad_score = _post(
        client,
        f"/paths/{path_id}/steps/{step_id}/complete",
        data={"csrf_token": token, "score": "250", "back": "me"},
    )
    assert bad_score.status_code == 303
    assert "must be between 0 and 100" in client.get("/paths/me").text
    done = _post(
        client,
        f"/paths/{path_id}/steps/{step_id}/complete",
        data={"csrf_token": token, "score": "90", "back": "me"},
    )
    assert done.status_code == 303
    after = _text(client.get("/paths/me").text)
    assert f"Done: {WORKSHOP}." in after
    moved = re.search(r"Active Listening 0/5 → (\d)/5", after)
    assert moved is not None
    assert int(moved.group(1)) > 0
    assert "That was the last step: the path is complete." in after
    assert "Active Listening" in client.get("/my-skills").text
    again = _post(
        client,
        f"/paths/{path_id}/steps/{step_id}/complete",
        data={"csrf_token": token, "back": "me"},
    )
    assert again.status_code == 303
    assert "You have no open learning path" in client.get("/paths/me").text  # completed
    page = _text(client.get(f"/paths/{path_id}").text)
    assert "Completed" in page
    assert "Step done" in page


def test_manager_plans_assigned_goals_for_a_report(client: TestClient, world: World) -> None:
    """Max assigns Python 3/5 to Ida: the preview plans the Python course; saving opens the
    path page, which the person page links to; starting it needs an approval first."""
    token = _token(client, world, "manager")
    ida = world.ids["junior"]
    builder = client.get(f"/people/{ida}/paths/new")
    assert builder.status_code == 200
    assert 'value="assigned"' in builder.text
    form = {
        "csrf_token": token,
        "mode": "assigned",
        "hours_per_week": "4",
        "locales": "en",
        "goal_skill": [str(world.ids["python"]), "", ""],
        "goal_level": ["3", "3", "3"],
    }
    preview = _text(_post(client, f"/people/{ida}/paths/preview", data=form).text)
    assert PYTHON_COURSE in preview
    assert "Python (computer programming) 0/5 → 3/5, reaching the target 3/5" in preview
    empty_goals = _post(
        client, f"/people/{ida}/paths/preview", data={**form, "goal_skill": ["", "", ""]}
    )
    assert empty_goals.status_code == 422
    assert 'id="error-goals">name at least one skill and level to reach' in empty_goals.text
    saved = _post(client, f"/people/{ida}/paths", data=form)
    assert saved.status_code == 303
    location = saved.headers["location"]
    assert re.fullmatch(r"/paths/\d+", location)
    page = _text(client.get(location).text)
    assert "Learning path of Ida Junior" in page
    assert "Goals set for Ida Junior" in page
    assert f'href="/people/{ida}/path"' in client.get(f"/people/{ida}").text
    path_id = int(location.rsplit("/", 1)[1])
    early = _post(client, f"/paths/{path_id}/start", data={"csrf_token": token})
    assert early.status_code == 303
    assert "it can only be activated when approved" in client.get(location).text


def test_replan_and_abandon(client: TestClient, world: World) -> None:
    """Re-planning an open path reports the hours before and after; stopping it keeps it in the
    list of earlier paths."""
    log_in(client, world.emails["employee"])
    token = csrf_from(client.get("/paths/new").text)
    saved = _post(client, f"/people/{rui(world)}/paths", data=_reskill(world, token))
    assert saved.status_code == 303
    path_id = int(saved.headers["location"].rsplit("/", 1)[1])
    assert f'href="/paths/{path_id}"' in client.get("/paths/new").text  # listed as open
    replanned = _post(client, f"/paths/{path_id}/replan", data={"csrf_token": token, "back": "me"})
    assert replanned.status_code == 303
    assert "Re-planned from today" in _text(client.get("/paths/me").text)
    stopped = _post(
        client, f"/paths/{path_id}/abandon", data={"csrf_token": token, "note": "Changed my mind"}
    )
    assert stopped.headers["location"] == f"/paths/{path_id}"
    page = _text(client.get(f"/paths/{path_id}").text)
    assert "The path is stopped." in page
    assert "Changed my mind" in page
    assert "Earlier paths" in _text(client.get("/paths/me").text)
    assert f'href="/paths/{path_id}"' not in client.get("/paths/new").text


def test_form_reading_and_explanation_words() -> None:
    """The form becomes the request the service expects (levels on the 0–1 scale, languages
    split, goals only for goal modes); unknown explanation codes keep the service's message."""
    form = BuilderForm(
        mode="wanted",
        hours_per_week="1,5",
        budget="",
        locales="de; en",
        goal_skill=["7", ""],
        goal_level=["4", "3"],
        avoid_kinds=["video"],
    )
    request = _request_of(form, is_self=True)
    assert request.hours_per_week == 1.5
    assert request.locales == ["de", "en"]
    assert [(goal.skill_id, goal.level) for goal in request.goals] == [(7, 0.8)]
    assert request.budget is None
    assert request.avoid_kinds == ["video"]
    assert _request_of(BuilderForm(mode="upskill", goal_skill=["7"]), is_self=True).goals == []
    plan = paths_preview_stub()
    assert explanation_text(ExplanationRead(code="new_code", message="As is."), plan) == "As is."


def test_every_refusal_of_the_service_is_extracted_for_translation() -> None:
    """The reasons the path service gives for refused values are the page's list (so that
    `make messages` extracts each one and the builder shows it translated)."""
    source = Path(paths.__file__).read_text(encoding="utf-8")
    reasons = set(re.findall(r'_refused\(\s*"([^"]*)"', source))
    assert reasons
    assert reasons == set(PROBLEM_REASONS)


def paths_preview_stub() -> PathRead:
    """The smallest plan an explanation is worded against."""
    return PathRead(
        id=None,
        employee=PersonRef(id=1, name="A B"),
        mode="upskill",
        title="t",
        status="preview",
        target_role=None,
        optimal=True,
        solver_status="optimal",
        total_hours=0,
        total_cost=0,
        currency="EUR",
        greedy_hours=None,
        hours_per_week=2,
        start=date(2026, 1, 1),
        end=None,
        deadline=None,
        budget=None,
        locales=["en"],
        offline_only=False,
        avoid_kinds=[],
        require_kinds=[],
        months=[],
        gaps=[],
        unreachable=[],
        explanations=[],
        unmet_kinds=[],
        progress=Progress(
            steps_done=0, steps_total=0, hours_done=0, hours_total=0, percent=0, behind_weeks=0
        ),
        next_step=None,
    )
