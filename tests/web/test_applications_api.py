"""The /api/v1 application endpoints (own database: they write applications, moves, openings).

The known company (tests/web/world.py): Cara (executive) ← Max (manager) ← Rui (Data Analyst, a
login), Ida (Data Analyst, no login); Cara ← Oli (Sales Rep, a login) who owns the
opportunities here. The app runs with `gig_time_cap` 0.15 (the SKILLPATH_GIG_TIME_CAP setting).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from skillpath.config import Settings
from skillpath.db.session import make_engine
from skillpath.domains.mobility.models import Opportunity
from skillpath.domains.people.models import Opening
from skillpath.web.app import create_app
from tests.factories import make_role
from tests.web.conftest import bearer, migrated_database, seed_world
from tests.web.world import World

CAP = 0.15


def add(session: Session, world: World, name: str, **fields: Any) -> None:
    """An opportunity owned by Oli, titled and known by `name`."""
    row = Opportunity(owner_id=world.ids["peer"], title=name, **fields)
    session.add(row)
    session.flush()
    world.ids[name] = row.id


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def web_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, World]]:
    """A database of this module's own with Oli's opportunities: a role with an opening, a
    draft, three gigs (0.1, 0.1 and 0.05 of the week) and a Senior Data Analyst role."""
    for url in migrated_database(request.param, tmp_path_factory):
        world = seed_world(url)
        engine = make_engine(url)
        with Session(engine) as session:
            today = world.today
            opening = Opening(
                external_id="SALES-OPEN",
                role_id=world.ids["sales_role"],
                opened_on=today - timedelta(days=21),
                hiring_manager_id=world.ids["peer"],
            )
            session.add(opening)
            session.flush()
            senior = make_role(session, "Senior Data Analyst", family="Data", level=2)
            published = datetime.now(UTC) - timedelta(days=5)

            add(
                session,
                world,
                "sales_job",
                kind="role",
                status="open",
                role_id=world.ids["sales_role"],
                opening_id=opening.id,
                org_unit_id=world.ids["sales"],
                published_at=published,
            )
            add(
                session,
                world,
                "draft",
                kind="role",
                status="draft",
                role_id=world.ids["sales_role"],
            )
            add(
                session,
                world,
                "gig_a",
                kind="gig",
                status="open",
                time_share=0.1,
                published_at=published,
            )
            add(
                session,
                world,
                "gig_b",
                kind="project",
                status="open",
                time_share=0.1,
                published_at=published,
            )
            add(
                session,
                world,
                "gig_c",
                kind="gig",
                status="open",
                time_share=0.05,
                published_at=published,
            )
            add(
                session,
                world,
                "senior",
                kind="role",
                status="open",
                role_id=senior.id,
                published_at=published,
            )
            world.ids["opening"] = opening.id
            world.ids["senior_role"] = senior.id
            session.commit()
        engine.dispose()
        yield url, world


@pytest.fixture(scope="module")
def app(web_database: tuple[str, World]) -> Iterator[FastAPI]:
    """The app on this module's database, with a gig time cap of 15%."""
    application = create_app(
        Settings(database_url=web_database[0], secret_key="test", gig_time_cap=CAP)
    )
    yield application
    application.state.engine.dispose()


def _call(client: TestClient, world: World, method: str, path: str, who: str, **kwargs: Any) -> Any:
    return client.request(method, f"/api/v1{path}", headers=bearer(world.tokens[who]), **kwargs)


def _ok(client: TestClient, world: World, method: str, path: str, who: str, **kwargs: Any) -> Any:
    response = _call(client, world, method, path, who, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


def _interest(client: TestClient, world: World, name: str, who: str, **body: Any) -> Any:
    return _call(
        client, world, "POST", f"/opportunities/{world.ids[name]}/interest", who, json=body
    )


def test_the_employee_applies_privately_and_lists_their_applications(
    client: TestClient, world: World
) -> None:
    saved = _interest(client, world, "sales_job", "employee", status="saved")
    assert saved.status_code == 200, saved.text
    applied = _interest(client, world, "sales_job", "employee", status="applied", note="Hello")
    assert applied.status_code == 200, applied.text
    body = applied.json()
    assert (body["status"], body["note"], body["shared_with_manager"]) == (
        "applied",
        "Hello",
        False,
    )
    assert body["score"] is not None
    again = _interest(client, world, "sales_job", "employee", status="applied").json()
    assert (again["id"], again["applied_at"]) == (body["id"], body["applied_at"])
    mine = _ok(client, world, "GET", "/me/applications", "employee")
    assert [(a["opportunity"]["id"], a["opportunity"]["kind"], a["status"]) for a in mine] == [
        (world.ids["sales_job"], "role", "applied")
    ]
    assert mine[0]["opportunity"]["title"] == "sales_job"


def test_who_sees_the_applicants(client: TestClient, world: World) -> None:
    assert _interest(client, world, "gig_c", "employee", status="applied").status_code == 200
    path = f"/opportunities/{world.ids['gig_c']}/applicants"
    for who, seen_as in (("peer", "owner"), ("executive", "owner_line"), ("hr", "hr")):
        listed = _ok(client, world, "GET", path, who)
        assert [(a["employee"]["id"], a["seen_as"]) for a in listed] == [
            (world.ids["analyst"], seen_as)
        ]
    # Rui's own manager is not told: no applicants, nothing shared.
    assert _call(client, world, "GET", path, "manager").status_code == 403
    assert _ok(client, world, "GET", "/me/team-applications", "manager") == []
    shared = _interest(
        client, world, "gig_c", "employee", status="applied", share_with_manager=True
    )
    assert shared.json()["shared_with_manager"] is True
    team = _ok(client, world, "GET", "/me/team-applications", "manager")
    assert [(t["employee"]["id"], t["opportunity"]["id"]) for t in team] == [
        (world.ids["analyst"], world.ids["gig_c"])
    ]
    assert _call(client, world, "GET", path, "manager").status_code == 403
    draft = f"/opportunities/{world.ids['draft']}/applicants"
    assert _call(client, world, "GET", draft, "employee").status_code == 404
    assert _call(client, world, "GET", "/opportunities/999999/applicants", "hr").status_code == 404


def test_bad_input_and_wrong_states_are_4xx(client: TestClient, world: World) -> None:
    bad = _interest(client, world, "gig_a", "employee", status="selected")
    assert bad.status_code == 422
    assert _interest(client, world, "draft", "employee", status="applied").status_code == 404
    withdraw = _interest(client, world, "gig_a", "employee", status="withdrawn")
    assert withdraw.status_code == 409
    assert "withdraw" in withdraw.json()["detail"]
    owner_step = _call(
        client,
        world,
        "POST",
        f"/opportunities/{world.ids['gig_a']}/applicants/{world.ids['analyst']}",
        "peer",
        json={"status": "applied"},
    )
    assert owner_step.status_code == 422
    future = _call(
        client,
        world,
        "POST",
        f"/opportunities/{world.ids['sales_job']}/fill",
        "peer",
        json={"employee_id": world.ids["analyst"], "on": (world.today + timedelta(3)).isoformat()},
    )
    assert future.status_code == 422, future.text
    assert future.json()["problems"][0]["column"] == "on"


def test_a_gig_needs_the_managers_approval_within_the_configured_cap(
    client: TestClient, world: World
) -> None:
    rui = world.ids["analyst"]
    for name in ("gig_a", "gig_b"):
        assert _interest(client, world, name, "employee", status="applied").status_code == 200
    first = _ok(
        client,
        world,
        "POST",
        f"/opportunities/{world.ids['gig_a']}/applicants/{rui}",
        "peer",
        json={"status": "selected"},
    )
    assert first["approval"] == "pending"
    queue = _ok(client, world, "GET", "/gig-approvals", "manager")
    assert [(q["interest_id"], q["cap"]) for q in queue] == [(first["interest_id"], CAP)]
    assert _ok(client, world, "GET", "/gig-approvals", "peer") == []
    decision = f"/gig-approvals/{first['interest_id']}"
    assert (
        _call(client, world, "POST", decision, "employee", json={"approve": True}).status_code
        == 403
    )
    refused = _call(client, world, "POST", decision, "manager", json={"approve": False})
    assert refused.status_code == 422
    approved = _ok(client, world, "POST", decision, "manager", json={"approve": True, "note": "OK"})
    assert approved["approval"] == "approved"
    assert _ok(client, world, "GET", "/gig-approvals", "manager") == []
    # 10% approved + 10% more is above the 15% cap of this app (the default 20% would allow it).
    over = _call(
        client,
        world,
        "POST",
        f"/opportunities/{world.ids['gig_b']}/applicants/{rui}",
        "peer",
        json={"status": "selected"},
    )
    assert over.status_code == 409
    assert "cap of 15%" in over.json()["detail"]
    assert "at 10% now" in over.json()["detail"]


def test_executives_read_totals_only(client: TestClient, world: World) -> None:
    totals = _ok(client, world, "GET", "/applications/summary", "executive")
    assert all(set(row) == {"kind", "status", "count"} for row in totals)
    assert sum(row["count"] for row in totals) >= 1
    assert _call(client, world, "GET", "/applications/summary", "employee").status_code == 403


def test_a_manager_cannot_act_for_a_report(client: TestClient, world: World) -> None:
    """The interest endpoint has no person to name: whatever is sent, it is the caller's own."""
    _interest(client, world, "senior", "employee", status="applied")
    response = _interest(
        client, world, "senior", "manager", status="dismissed", employee_id=world.ids["analyst"]
    )
    assert response.status_code == 200
    applicants = _ok(
        client, world, "GET", f"/opportunities/{world.ids['senior']}/applicants", "peer"
    )
    assert [(a["employee"]["id"], a["status"]) for a in applicants] == [
        (world.ids["analyst"], "applied")
    ]
    candidates = _ok(
        client, world, "GET", f"/opportunities/{world.ids['senior']}/candidates?limit=50", "peer"
    )
    assert world.ids["analyst"] in {c["person"]["id"] for c in candidates}


def test_the_owner_fills_the_role_and_the_move_is_in_the_history(
    client: TestClient, world: World
) -> None:
    rui = world.ids["analyst"]
    _interest(client, world, "sales_job", "employee", status="applied")
    base = f"/opportunities/{world.ids['sales_job']}"
    shortlisted = _ok(
        client, world, "POST", f"{base}/applicants/{rui}", "peer", json={"status": "shortlisted"}
    )
    assert shortlisted["status"] == "shortlisted"
    selected = _ok(
        client, world, "POST", f"{base}/applicants/{rui}", "peer", json={"status": "selected"}
    )
    assert (selected["status"], selected["approval"]) == ("selected", None)
    filled = _ok(
        client,
        world,
        "POST",
        f"{base}/fill",
        "peer",
        json={"employee_id": rui, "on": world.today.isoformat()},
    )
    assert filled["time_to_fill_days"] == 21
    assert filled["move_kind"] == "reskill"
    assert filled["opening_id"] == world.ids["opening"]
    person = _ok(client, world, "GET", f"/employees/{rui}", "employee")
    assert person["role"]["id"] == world.ids["sales_role"]
    assert person["unit"]["id"] == world.ids["sales"]
    # The hiring manager (the opportunity's owner) becomes Rui's manager. This test runs last in
    # the module: the earlier ones rely on Rui's first manager.
    assert person["manager_id"] == world.ids["peer"]
    assert [(m["kind"], m["to_role"]["id"]) for m in person["moves"]] == [
        ("reskill", world.ids["sales_role"])
    ]
    again = _call(
        client,
        world,
        "POST",
        f"{base}/fill",
        "peer",
        json={"employee_id": rui, "on": world.today.isoformat()},
    )
    assert again.status_code == 409
    mine = {
        a["opportunity"]["id"]: a for a in _ok(client, world, "GET", "/me/applications", "employee")
    }
    assert mine[world.ids["sales_job"]]["opportunity"]["status"] == "filled"
