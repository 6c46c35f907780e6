"""The marketplace pages (own database: they apply, fill roles and post opportunities).

The known company (tests/web/world.py): Cara (executive) ← Max (manager) ← Rui (Data Analyst,
SQL 0.8 by his manager), Ida (Data Analyst, no login); Cara ← Oli (Sales Rep). Max owns a Senior
Data Analyst role posted from an opening of his team and an "SQL clean-up" gig; HR posted a gig
owned by Oli, outside Max's line; a draft of Max's stays unpublished.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.core.levels import DEFAULT_SCALE
from skillpath.db.session import make_engine
from skillpath.domains.evidence import service as evidence_service
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.mobility import applications, service
from skillpath.domains.mobility.models import Opportunity, OpportunityInterest
from skillpath.domains.mobility.schemas import OpportunityIn, SkillAsk
from skillpath.domains.people.models import Move, Opening
from tests.factories import make_role
from tests.web.conftest import csrf_from, log_in, migrated_database, seed_world
from tests.web.world import World


def _viewer(world: World, name: str, role: str) -> Viewer:
    return Viewer(user_id=0, email=f"{name}@test", role=role, employee_id=world.ids[name])


HR = Viewer(user_id=0, email="hr@test", role="hr_admin", employee_id=None)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def web_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, World]]:
    """The known company and its marketplace, posted through the service."""
    for url in migrated_database(request.param, tmp_path_factory):
        world = seed_world(url)
        engine = make_engine(url)
        with Session(engine) as session:
            today = world.today
            evidence_service.rebuild_profiles(session)
            senior = make_role(session, "Senior Data Analyst", family="Data", level=3)
            opening = Opening(
                external_id="SENIOR-OPEN",
                role_id=senior.id,
                org_unit_id=world.ids["data"],
                location_id=world.ids["berlin"],
                hiring_manager_id=world.ids["manager"],
                opened_on=today - timedelta(days=17),
            )
            session.add(opening)
            session.flush()
            max_ = _viewer(world, "manager", "manager")
            sql = [SkillAsk(skill_id=world.ids["sql"], level=0.6, importance=1.0)]
            role = service.create_opportunity(
                session,
                viewer=max_,
                data=OpportunityIn(
                    kind="role",
                    opening_id=opening.id,
                    skills=[*sql, SkillAsk(skill_id=world.ids["python"], level=0.8)],
                    publish=True,
                ),
            )
            gig = service.create_opportunity(
                session,
                viewer=max_,
                data=OpportunityIn(
                    kind="gig", title="SQL clean-up", skills=sql, remote=True, publish=True
                ),
            )
            olis = service.create_opportunity(
                session,
                viewer=HR,
                data=OpportunityIn(
                    kind="gig",
                    title="Query review rota",
                    owner_id=world.ids["peer"],
                    skills=sql,
                    remote=True,
                    publish=True,
                ),
            )
            draft = service.create_opportunity(
                session,
                viewer=max_,
                data=OpportunityIn(kind="project", title="Hidden draft", skills=sql),
            )
            applications.apply(
                session, viewer=_viewer(world, "junior", "employee"), opportunity_id=role.id
            )
            world.ids.update(
                role_opportunity=role.id,
                gig=gig.id,
                olis_gig=olis.id,
                draft=draft.id,
                senior_role=senior.id,
                opening=opening.id,
            )
            session.commit()
        engine.dispose()
        yield url, world


def _page(client: TestClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.text


def _answer(html: str) -> str:
    found = re.search(r'<p class="answer">(.*?)</p>', html, re.S)
    assert found is not None, "the page opens with no answer"
    return " ".join(found.group(1).split())


def test_employee_sees_explained_matches_and_notifications_once(
    client: TestClient, world: World
) -> None:
    log_in(client, world.emails["employee"])
    html = _page(client, "/opportunities")
    # Rui holds SQL at 0.8 ≥ 0.6: skills 1; the gig is remote with no place: logistics 1.
    assert "SQL clean-up" in html
    assert "matches you very highly (85%)" in html
    # Both gigs score 0.85 (ties go to the older); the role 0.70 × 0.83 + 0.15 = 0.73 (high).
    assert _answer(html) == (
        "3 opportunities fit you well; the best is SQL clean-up (85%, very high)."
    )
    assert "0.70 × 1.00 + 0.15 × 0.00 + 0.15 × 1.00 = 0.85" in html
    assert 'role="img"' in html
    assert "Tell my manager" in html
    assert "Your manager is not told unless you tick" in html
    # Shown once: the notification is marked read.
    assert "matches you very highly" not in _page(client, "/opportunities")
    # The role: Python is missing (0.4 of 0.8), with levels and what would raise the score.
    detail = _page(client, f"/opportunities/{world.ids['role_opportunity']}")
    assert "Python (computer programming)" in detail
    assert "2/5 → needs 4/5" in detail
    assert "/paths/new?mode=reskill&amp;target_role_id=" in detail
    how = _page(client, "/opportunities/how-matching-works")
    assert "No demographic attribute is an input." in how
    assert "Worked example: your best match" in how


def test_employee_cannot_see_candidates_nor_drafts(client: TestClient, world: World) -> None:
    log_in(client, world.emails["employee"])
    role = world.ids["role_opportunity"]
    assert client.get(f"/opportunities/{role}/candidates").status_code == 403
    assert client.get(f"/opportunities/{world.ids['draft']}").status_code == 404
    assert client.get("/opportunities/new").status_code == 403
    log_in(client, world.emails["peer"])
    assert client.get(f"/opportunities/{role}/candidates").status_code == 403


def test_manager_and_hr_see_ranked_candidates_with_numbers(
    client: TestClient, world: World
) -> None:
    role = world.ids["role_opportunity"]
    log_in(client, world.emails["manager"])
    html = _page(client, f"/opportunities/{role}/candidates")
    assert "Rui Analyst" in html
    assert "Ida Junior" in html
    assert "Max Manager" not in html.split("Ranked internal candidates")[1]  # the owner
    assert re.search(r"0\.70 × \d\.\d\d \+ 0\.15 × \d\.\d\d \+ 0\.15 × \d\.\d\d = \d\.\d\d", html)
    assert "Fill internally" in html
    assert "Gig approvals" in _page(client, "/opportunities/approvals")
    mine = _page(client, "/opportunities?tab=mine")
    assert "Hidden draft" in mine
    assert "Posted by you and your team" in mine
    log_in(client, world.emails["hr"])
    assert "Rui Analyst" in _page(client, f"/opportunities/{role}/candidates")
    listed = _page(client, "/opportunities?tab=all&status=all")
    assert "Hidden draft" in listed
    assert "/opportunities?tab=matches" not in listed  # HR here has no employee record


def test_applying_privately_leaves_the_manager_untold(
    client: TestClient, world: World, web_database: tuple[str, World]
) -> None:
    gig = world.ids["olis_gig"]
    log_in(client, world.emails["employee"])
    token = csrf_from(_page(client, f"/opportunities/{gig}"))
    response = client.post(
        f"/opportunities/{gig}/interest",
        data={"csrf_token": token, "action": "applied", "note": "I review queries daily."},
    )
    assert response.status_code == 200
    assert "Your manager is not told." in response.text
    assert "not told" in _page(client, "/opportunities?tab=mine")
    engine = make_engine(web_database[0])
    with Session(engine) as session:
        row = session.scalars(
            select(OpportunityInterest).where(
                OpportunityInterest.opportunity_id == gig,
                OpportunityInterest.employee_id == world.ids["analyst"],
            )
        ).one()
        assert row.status == "applied"
        assert not row.shared_with_manager
        max_ = _viewer(world, "manager", "manager")
        assert applications.shared_with_me(session, viewer=max_) == []
    engine.dispose()
    # Max is Rui's manager but not on Oli's side: no candidates, no applicants.
    log_in(client, world.emails["manager"])
    assert client.get(f"/opportunities/{gig}/candidates").status_code == 403
    assert "I review queries daily." not in _page(client, f"/opportunities/{gig}")


def test_owner_fills_the_role_internally_and_the_move_is_in_history(
    client: TestClient, world: World, web_database: tuple[str, World]
) -> None:
    role = world.ids["role_opportunity"]
    junior = world.ids["junior"]
    log_in(client, world.emails["manager"])
    token = csrf_from(_page(client, f"/opportunities/{role}/candidates"))
    today = world.today.isoformat()
    # Without the confirmation nothing moves.
    refused = client.post(
        f"/opportunities/{role}/fill",
        data={"csrf_token": token, "employee_id": str(junior), "on": today},
    )
    assert "tick the box to confirm the move" in refused.text
    done = client.post(
        f"/opportunities/{role}/fill",
        data={"csrf_token": token, "employee_id": str(junior), "on": today, "confirm": "1"},
    )
    assert done.status_code == 200
    assert "Filled internally: Ida Junior moves into the role" in done.text
    assert "Time to fill: 17 days." in done.text
    engine = make_engine(web_database[0])
    with Session(engine) as session:
        move = session.scalars(select(Move).where(Move.employee_id == junior)).one()
        assert move.to_role_id == world.ids["senior_role"]
        assert session.get_one(Opening, world.ids["opening"]).status == "filled"
        assert session.get_one(Opportunity, role).status == "filled"
    engine.dispose()
    history = _page(client, f"/people/{junior}")
    assert "Role history" in history
    assert "Senior Data Analyst" in history


def test_hr_fills_a_role_directly(client: TestClient, world: World) -> None:
    log_in(client, world.emails["hr"])
    token = csrf_from(_page(client, "/opportunities/new?kind=role"))
    posted = client.post(
        "/opportunities/new",
        data={
            "csrf_token": token,
            "kind": "role",
            "source": "role",
            "role_id": str(world.ids["senior_role"]),
            "title": "Second senior analyst",
            "skill": [str(world.ids["sql"])],
            "level": ["3"],
            "importance": ["1.0"],
            "publish": "1",
        },
        follow_redirects=False,
    )
    assert posted.status_code == 303
    target = posted.headers["location"]
    opportunity = int(target.rsplit("/", 1)[1])
    html = _page(client, f"/opportunities/{opportunity}/candidates")
    assert "Rui Analyst" in html
    done = client.post(
        f"/opportunities/{opportunity}/fill",
        data={
            "csrf_token": token,
            "employee_id": str(world.ids["analyst"]),
            "on": world.today.isoformat(),
            "confirm": "1",
        },
    )
    assert "Filled internally: Rui Analyst moves into the role" in done.text
    assert "See the move in Rui Analyst" in done.text


def test_bad_posting_shows_inline_errors(client: TestClient, world: World) -> None:
    log_in(client, world.emails["manager"])
    token = csrf_from(_page(client, "/opportunities/new"))
    response = client.post(
        "/opportunities/new",
        data={
            "csrf_token": token,
            "kind": "gig",
            "title": "Too much",
            "time_share": "150",
            "skill": [str(world.ids["sql"])],
            "level": ["3"],
            "importance": ["1.0"],
        },
    )
    assert response.status_code == 422
    assert 'id="error-time_share"' in response.text
    assert "must be between 1 and 100" in response.text
    assert 'aria-invalid="true"' in response.text
    no_skills = client.post(
        "/opportunities/new",
        data={
            "csrf_token": token,
            "kind": "project",
            "title": "Nothing asked",
            "closes_on": "2001-01-01",
            "duration_weeks": "0",
        },
    )
    assert no_skills.status_code == 422
    # Every refused field at once, each next to its field.
    assert 'id="error-skills"' in no_skills.text
    assert 'id="error-closes_on"' in no_skills.text
    assert 'id="error-duration_weeks"' in no_skills.text
    past = client.post(
        "/opportunities/new",
        data={
            "csrf_token": token,
            "kind": "gig",
            "title": "Late",
            "closes_on": "2001-01-01",
            "skill": [str(world.ids["sql"])],
            "level": ["2"],
            "importance": ["0.6"],
        },
    )
    assert past.status_code == 422
    assert 'id="error-closes_on"' in past.text
    assert "must not be in the past" in past.text
    # A good draft is saved with the skill at the level asked.
    good = client.post(
        "/opportunities/new",
        data={
            "csrf_token": token,
            "kind": "stretch",
            "title": "Lead the SQL guild",
            "time_share": "10",
            "duration_weeks": "12",
            "skill": [str(world.ids["sql"])],
            "level": ["4"],
            "importance": ["1.0"],
        },
    )
    assert good.status_code == 200
    assert "Saved as a draft" in good.text
    assert "Lead the SQL guild" in good.text
    assert f"4/5 · {DEFAULT_SCALE.labels[3]}" in good.text
