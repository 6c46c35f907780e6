"""The /api/v1 profile, evidence, intent and validation endpoints (own database: they write).

The known company (tests/web/world.py): Cara (executive) ← Max (manager) ← Rui, Ida (Data);
Cara ← Oli (Sales). Profiles are rebuilt once after seeding, as the nightly job would.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from skillpath.db.session import make_engine
from skillpath.domains.evidence import service
from tests.web.conftest import bearer, migrated_database, seed_world
from tests.web.world import World


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


def _call(client: TestClient, world: World, method: str, path: str, who: str, **kwargs: Any) -> Any:
    return client.request(method, f"/api/v1{path}", headers=bearer(world.tokens[who]), **kwargs)


def _ok(client: TestClient, world: World, method: str, path: str, who: str, **kwargs: Any) -> Any:
    response = _call(client, world, method, path, who, **kwargs)
    assert response.status_code in (200, 201), response.text
    return response.json()


def _snapshot(client: TestClient, world: World) -> tuple[Any, ...]:
    """What a refused write must leave alone: everyone's evidence, profiles and queue."""
    people = ("analyst", "junior", "peer", "manager")
    evidence = tuple(
        _ok(client, world, "GET", f"/employees/{world.ids[p]}/evidence", "hr")["total"]
        for p in people
    )
    profiles = tuple(
        tuple(
            (s["skill"]["id"], s["level"], s["confidence"])
            for s in _ok(client, world, "GET", f"/employees/{world.ids[p]}/profile", "hr")["skills"]
        )
        for p in people
    )
    queue = _ok(client, world, "GET", "/validations?status=all", "manager")
    return evidence, profiles, tuple((v["id"], v["status"]) for v in queue["items"])


def _skill(profile: dict[str, Any], skill_id: int) -> dict[str, Any]:
    return next(s for s in profile["skills"] if s["skill"]["id"] == skill_id)


def test_profile_shape_and_visibility(client: TestClient, world: World) -> None:
    """Rui's profile: levels 0–1, the display level, confidence and a breakdown that names
    sources and raters; Rui, Max, Cara and HR read it; Oli (a colleague elsewhere) gets 404."""
    rui = world.ids["analyst"]
    profile = _ok(client, world, "GET", f"/employees/{rui}/profile", "employee")
    assert profile["employee"] == {"id": rui, "name": "Rui Analyst"}
    assert profile["relation"] == "self"
    assert profile["scale"]["code"] == "five_point"
    sql = _skill(profile, world.ids["sql"])
    assert 0 <= sql["level"] <= 1
    assert 1 <= sql["display_level"] <= 5
    assert 0 <= sql["confidence"] <= 1
    assert {line["source"] for line in sql["breakdown"]} == {"self", "manager"}
    manager_line = next(line for line in sql["breakdown"] if line["source"] == "manager")
    assert manager_line["rater"]["name"] == "Max Manager"
    assert sum(line["share"] for line in sql["breakdown"]) == pytest.approx(1.0)
    assert sql["up_to_date"] is True
    for who, relation in (("manager", "manager"), ("executive", "manager"), ("hr", "viewer")):
        assert _ok(client, world, "GET", f"/employees/{rui}/profile", who)["relation"] == relation
    assert _call(client, world, "GET", f"/employees/{rui}/profile", "peer").status_code == 404
    assert (
        _call(
            client, world, "GET", f"/employees/{world.ids['peer']}/profile", "manager"
        ).status_code
        == 404
    )
    assert _call(client, world, "GET", "/employees/999999/profile", "hr").status_code == 404
    assert client.get(f"/api/v1/employees/{rui}/profile").status_code == 401
    one = _ok(
        client, world, "GET", f"/employees/{rui}/profile/skills/{world.ids['sql']}", "manager"
    )
    assert one == sql


def test_self_rating_then_manager_validation(client: TestClient, world: World) -> None:
    """Ida rates herself; the request waits in Max's queue until he works it; an adjustment
    without a comment is 422; approving writes manager evidence; a second decision is 409."""
    ida = world.ids["junior"]
    python = world.ids["python"]
    created = _ok(
        client,
        world,
        "POST",
        f"/employees/{ida}/evidence",
        "manager",
        json={"skill_id": python, "display_level": 2},
    )
    assert created["evidence"]["source"] == "manager"  # Max rates Ida directly
    assert created["validation_request_id"] is None
    # Ida has no login in the world; Rui does: his self-rating goes to Max.
    rui = world.ids["analyst"]
    mine = _ok(
        client,
        world,
        "POST",
        f"/employees/{rui}/evidence",
        "employee",
        json={"skill_id": python, "display_level": 4, "note": "Pandas every day"},
    )
    assert mine["evidence"]["source"] == "self"
    assert mine["evidence"]["rater"]["id"] == rui
    assert mine["skill"]["skill"]["id"] == python
    request_id = mine["validation_request_id"]
    queue = _ok(client, world, "GET", "/validations", "manager")
    assert request_id in [item["id"] for item in queue["items"]]
    assert _ok(client, world, "GET", "/validations", "employee")["total"] == 0
    before = _snapshot(client, world)
    refused = _call(
        client,
        world,
        "POST",
        f"/validations/{request_id}/decision",
        "manager",
        json={"decision": "adjust", "display_level": 3},
    )
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["column"] == "comment"
    for who, status in (("employee", 403), ("peer", 404), ("executive", 403)):
        response = _call(
            client,
            world,
            "POST",
            f"/validations/{request_id}/decision",
            who,
            json={"decision": "approve"},
        )
        assert response.status_code == status, (who, response.text)
    assert _snapshot(client, world) == before
    decided = _ok(
        client,
        world,
        "POST",
        f"/validations/{request_id}/decision",
        "manager",
        json={"decision": "approve", "comment": "Seen it in the churn project."},
    )
    assert decided["status"] == "approved"
    assert decided["decided_by"]["name"] == "Max Manager"
    again = _call(
        client,
        world,
        "POST",
        f"/validations/{request_id}/decision",
        "manager",
        json={"decision": "decline", "comment": "no"},
    )
    assert again.status_code == 409
    evidence = _ok(
        client,
        world,
        "GET",
        f"/employees/{rui}/evidence?skill_id={python}&source=manager",
        "employee",
    )
    assert evidence["items"][0]["note"] == "Seen it in the churn project."
    assert evidence["items"][0]["rater"]["name"] == "Max Manager"


@pytest.mark.parametrize(
    ("who", "target", "body", "status"),
    [
        ("peer", "analyst", {"display_level": 3}, 404),  # Oli: outside Rui's line and team
        ("manager", "peer", {"display_level": 3}, 403),  # Max: Oli is a teammate, no report
        ("peer", "analyst", {"display_level": 3, "source": "peer"}, 404),  # not Oli's teammate
        ("manager", "analyst", {"display_level": 3, "source": "peer"}, 403),  # a report
        ("employee", "manager", {"display_level": 3}, 404),  # Rui rating his manager
        ("hr", "analyst", {"display_level": 3}, 403),  # HR names an HR source
        ("employee", "analyst", {"display_level": 9}, 422),
        ("employee", "analyst", {"display_level": 0}, 422),
        ("employee", "analyst", {"level": 1.5}, 422),
        ("employee", "analyst", {"level": 0.5, "display_level": 3}, 422),
        ("employee", "analyst", {}, 422),
        ("employee", "analyst", {"display_level": 3, "skill_id": 999999}, 404),
        ("employee", "analyst", {"display_level": 3, "skill_id": "sql"}, 422),
        ("employee", "analyst", {"display_level": 3, "source": "assessment"}, 403),
        ("employee", "analyst", {"display_level": 3, "note": "x" * 2001}, 422),
        ("manager", "former", {"display_level": 3}, 409),
    ],
)
def test_bad_writes_are_refused_and_change_nothing(
    client: TestClient, world: World, who: str, target: str, body: dict[str, Any], status: int
) -> None:
    """Rating outside one's line and team, unknown skills, levels out of range: a clear 4xx
    with a reason, and nothing changes anywhere."""
    before = _snapshot(client, world)
    payload = {"skill_id": world.ids["sql"], **body}
    response = _call(
        client, world, "POST", f"/employees/{world.ids[target]}/evidence", who, json=payload
    )
    assert response.status_code == status, response.text
    assert response.json()["detail"]
    assert _snapshot(client, world) == before


def test_a_manager_rating_an_assessment_and_a_completion_move_the_level(
    client: TestClient, world: World
) -> None:
    """Done-when through the API: Ida's SQL level and confidence change with Max's rating, an
    HR assessment and a course completion, and each time the breakdown explains the number."""
    ida = world.ids["junior"]
    sql = world.ids["sql"]
    path = f"/employees/{ida}/profile/skills/{sql}"
    assert _call(client, world, "GET", path, "manager").status_code == 404  # no evidence yet
    steps: list[tuple[str, dict[str, Any]]] = [
        ("manager", {"display_level": 2}),
        ("hr", {"source": "assessment", "level": 0.7}),
        ("hr", {"source": "learning", "item_id": world.ids["advanced"]}),
    ]
    seen = []
    for who, body in steps:
        created = _ok(
            client, world, "POST", f"/employees/{ida}/evidence", who, json={"skill_id": sql, **body}
        )
        skill = _ok(client, world, "GET", path, "manager")
        assert created["skill"] == skill
        counted = [line for line in skill["breakdown"] if line["status"] == "counted"]
        assert sum(line["share"] * line["level"] for line in counted) == pytest.approx(
            skill["weighted_mean"]
        )
        assert skill["level"] == pytest.approx(max(skill["weighted_mean"], skill["floor"] or 0))
        seen.append(skill)
    levels = [skill["level"] for skill in seen]
    confidences = [skill["confidence"] for skill in seen]
    assert levels[0] == pytest.approx(0.4)
    assert levels[0] < levels[1] < levels[2] == pytest.approx(0.8)
    assert confidences[0] < confidences[1] < confidences[2]
    assert [line["source"] for line in seen[2]["breakdown"]][:1] == ["assessment"]
    assert seen[2]["floor"] == pytest.approx(0.8)
    learning = next(line for line in seen[2]["breakdown"] if line["source"] == "learning")
    assert learning["item_id"] == world.ids["advanced"]
    assert learning["rater"] is None


def test_intents(client: TestClient, world: World) -> None:
    """Rui sets his intents; Max reads them but cannot set them; Oli cannot read them."""
    rui = world.ids["analyst"]
    path = f"/employees/{rui}/intents"
    listening = world.ids["listening"]
    set_ = _ok(client, world, "PUT", f"{path}/{listening}", "employee", json={"intent": "develop"})
    assert set_["skill"]["name"] == "Active Listening"
    assert set_["intent"] == "develop"
    listed = _ok(client, world, "GET", path, "manager")
    assert [(i["skill"]["id"], i["intent"]) for i in listed] == [(listening, "develop")]
    assert _call(client, world, "GET", path, "peer").status_code == 404
    assert (
        _call(
            client, world, "PUT", f"{path}/{listening}", "manager", json={"intent": "have"}
        ).status_code
        == 403
    )
    assert (
        _call(
            client, world, "PUT", f"{path}/{listening}", "employee", json={"intent": "maybe"}
        ).status_code
        == 422
    )
    group = world.ids["esco_group"]
    assert (
        _call(
            client, world, "PUT", f"{path}/{group}", "employee", json={"intent": "have"}
        ).status_code
        == 422
    )
    assert _ok(client, world, "GET", path, "employee") == listed
    profile = _ok(client, world, "GET", f"/employees/{rui}/profile", "employee")
    assert [(i["skill"]["id"], i["intent"]) for i in profile["intents"]] == [(listening, "develop")]


def test_bulk_approve_and_teammates(client: TestClient, world: World) -> None:
    """Max approves two self-ratings at once; an unknown id refuses the whole batch. Oli's
    teammates are the CEO's other direct reports (Max), and he endorses Max; Rui's are Ida."""
    rui = world.ids["analyst"]
    ids = [
        _ok(
            client,
            world,
            "POST",
            f"/employees/{rui}/evidence",
            "employee",
            json={"skill_id": skill, "display_level": 3},
        )["validation_request_id"]
        for skill in (world.ids["sql"], world.ids["listening"])
    ]
    refused = _call(
        client, world, "POST", "/validations/approve", "manager", json={"ids": [*ids, 999999]}
    )
    assert refused.status_code == 404
    pending = _ok(client, world, "GET", "/validations", "manager")["items"]
    assert {item["id"] for item in pending} >= set(ids)
    approved = _ok(client, world, "POST", "/validations/approve", "manager", json={"ids": ids})
    assert [item["status"] for item in approved] == ["approved", "approved"]
    assert (
        _call(
            client, world, "POST", "/validations/approve", "manager", json={"ids": []}
        ).status_code
        == 422
    )
    assert [m["name"] for m in _ok(client, world, "GET", "/me/teammates", "employee")] == [
        "Ida Junior"
    ]
    assert [m["name"] for m in _ok(client, world, "GET", "/me/teammates", "peer")] == [
        "Max Manager"
    ]


def test_openapi_documents_the_endpoints(client: TestClient) -> None:
    """Every new endpoint is in the OpenAPI document with a response model."""
    document = client.get("/api/openapi.json").json()
    paths = document["paths"]
    expected = {
        ("/api/v1/employees/{employee_id}/profile", "get"): "EmployeeProfile",
        ("/api/v1/employees/{employee_id}/evidence", "post"): "EvidenceCreated",
        ("/api/v1/employees/{employee_id}/intents/{skill_id}", "put"): "IntentRead",
        ("/api/v1/validations/{request_id}/decision", "post"): "ValidationRead",
    }
    for (path, method), model in expected.items():
        responses = paths[path][method]["responses"]
        success = responses.get("200") or responses.get("201")
        assert success["content"]["application/json"]["schema"]["$ref"].endswith(model)
    assert "/api/v1/validations" in paths
    assert "/api/v1/employees/{employee_id}/evidence" in paths
    assert "EmployeeProfile" in document["components"]["schemas"]
