"""The /api/v1 read API: shapes, filters, pagination, authentication, validation, visibility."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import bearer
from tests.web.world import World

LIST_ENDPOINTS = [
    "/api/v1/skills",
    "/api/v1/roles",
    "/api/v1/employees",
    "/api/v1/org-units",
    "/api/v1/catalog/items",
]


def _get(client: TestClient, world: World, path: str, who: str = "hr", **params: Any) -> Any:
    response = client.get(path, params=params, headers=bearer(world.tokens[who]))
    assert response.status_code == 200, response.text
    return response.json()


def _names(page: dict[str, Any], key: str = "name") -> list[str]:
    return [item[key] for item in page["items"]]


@pytest.mark.parametrize("path", [*LIST_ENDPOINTS, "/api/v1/skills/1", "/api/v1/employees/1"])
def test_every_endpoint_needs_a_bearer_token(client: TestClient, path: str) -> None:
    """No token or a wrong one: 401 with a JSON reason and a Bearer challenge."""
    missing = client.get(path)
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    assert "Bearer" in missing.json()["detail"]
    wrong = client.get(path, headers=bearer("skp_not-a-real-token"))
    assert wrong.status_code == 401


@pytest.mark.parametrize("path", LIST_ENDPOINTS)
def test_lists_are_paginated_envelopes(client: TestClient, world: World, path: str) -> None:
    """Every list answers items/total/limit/offset, and limit/offset page through it."""
    everything = _get(client, world, path)
    assert set(everything) == {"items", "total", "limit", "offset"}
    assert everything["total"] == len(everything["items"]) >= 2
    first = _get(client, world, path, limit=1)
    second = _get(client, world, path, limit=1, offset=1)
    assert first["total"] == second["total"] == everything["total"]
    assert (first["limit"], first["offset"], second["offset"]) == (1, 0, 1)
    assert [first["items"][0], second["items"][0]] == everything["items"][:2]


@pytest.mark.parametrize("path", LIST_ENDPOINTS)
@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 501}, {"offset": -1}, {"limit": "x"}])
def test_bad_pagination_is_422(
    client: TestClient, world: World, path: str, params: dict[str, Any]
) -> None:
    """Out-of-range or non-numeric pagination is FastAPI's validation error."""
    response = client.get(path, params=params, headers=bearer(world.tokens["hr"]))
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/skills", {"kind": "superpower"}),
        ("/api/v1/roles", {"include_templates": "perhaps"}),
        ("/api/v1/employees", {"unit_id": "sales"}),
        ("/api/v1/employees", {"role_id": "1.5"}),
        ("/api/v1/catalog/items", {"kind": "podcast"}),
        ("/api/v1/catalog/items", {"offline": "maybe"}),
        ("/api/v1/catalog/items", {"locale": "en us!"}),
        ("/api/v1/catalog/items", {"max_minutes": 0}),
        ("/api/v1/skills/abc", {}),
    ],
)
def test_bad_filters_are_422(
    client: TestClient, world: World, path: str, params: dict[str, Any]
) -> None:
    """A filter value of the wrong type or outside its choices is refused with the details."""
    response = client.get(path, params=params, headers=bearer(world.tokens["hr"]))
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail
    assert {"loc", "msg", "type"} <= set(detail[0])


def test_skill_search_matches_names_and_aliases(client: TestClient, world: World) -> None:
    """Search looks inside names, alternative labels and hidden labels, case-insensitively."""
    by_alias = _get(client, world, "/api/v1/skills", q="STRUCTURED query")
    assert _names(by_alias) == ["SQL"]
    by_hidden = _get(client, world, "/api/v1/skills", q="pyhton")
    assert _names(by_hidden) == ["Python (computer programming)"]
    by_name = _get(client, world, "/api/v1/skills", q="listen")
    assert _names(by_name) == ["Active Listening"]
    assert _get(client, world, "/api/v1/skills", q="100%_")["total"] == 0


def test_skill_search_ranks_exact_and_prefix_matches_first(
    client: TestClient, world: World
) -> None:
    """ "s" is in several names; the ones starting with it come first."""
    found = _names(_get(client, world, "/api/v1/skills", q="s"))
    assert found == ["SQL", "Active Listening", "ICT skills"]
    assert _names(_get(client, world, "/api/v1/skills", q="sql"))[0] == "SQL"


def test_skill_items_carry_identifiers_and_filters_apply(client: TestClient, world: World) -> None:
    """Items carry id, name, kind, source and external ids (own source's id included)."""
    sql = _get(client, world, "/api/v1/skills", q="sql")["items"][0]
    assert {"id", "name", "kind", "source", "external_ids"} <= set(sql)
    assert sql["source"] == "esco"
    assert sql["external_ids"]["esco"] == sql["external_id"]
    assert sql["external_ids"]["onet"] == "43232605"
    assert _names(_get(client, world, "/api/v1/skills", source="onet")) == ["Active Listening"]
    assert _names(_get(client, world, "/api/v1/skills", kind="group")) == ["ICT skills"]
    assert _get(client, world, "/api/v1/skills", source="nowhere")["total"] == 0


def test_skill_detail(client: TestClient, world: World) -> None:
    """A skill with breadcrumb, visible aliases, relations, roles needing it and items."""
    sql = _get(client, world, f"/api/v1/skills/{world.ids['sql']}")
    assert sql["breadcrumb"] == [{"id": world.ids["esco_group"], "name": "ICT skills"}]
    assert sql["aliases"] == ["Structured Query Language"]
    assert sql["attribution"] == "ESCO, European Commission"
    assert sql["relations"] == [
        {
            "kind": "related",
            "direction": "incoming",
            "skill": {"id": world.ids["python"], "name": "Python (computer programming)"},
        }
    ]
    assert [(r["title"], r["display_level"]) for r in sql["roles"]] == [("Data Analyst", 3)]
    assert [i["title"] for i in sql["items"]] == ["Advanced SQL project", "SQL basics"]
    python = _get(client, world, f"/api/v1/skills/{world.ids['python']}")
    assert python["aliases"] == []  # the hidden misspelling is for search only
    assert python["relations"][0]["direction"] == "outgoing"
    group = _get(client, world, f"/api/v1/skills/{world.ids['esco_group']}")
    assert [c["name"] for c in group["children"]] == ["Python (computer programming)", "SQL"]
    assert group["children_total"] == 2
    missing = client.get("/api/v1/skills/999999", headers=bearer(world.tokens["hr"]))
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No such skill."}


def test_roles_list_and_filters(client: TestClient, world: World) -> None:
    """Own roles by default; templates on request or when their source is named."""
    titles = _names(_get(client, world, "/api/v1/roles"), "title")
    assert titles == ["Data Analyst", "Engineering Manager", "Sales Rep"]
    with_templates = _names(_get(client, world, "/api/v1/roles", include_templates="true"), "title")
    assert "data scientist" in with_templates
    assert _names(_get(client, world, "/api/v1/roles", source="esco"), "title") == [
        "data scientist"
    ]
    assert _names(_get(client, world, "/api/v1/roles", q="ANALYST"), "title") == ["Data Analyst"]
    assert _names(_get(client, world, "/api/v1/roles", family="Sales"), "title") == ["Sales Rep"]
    analyst = _get(client, world, "/api/v1/roles", q="analyst")["items"][0]
    assert (analyst["skill_count"], analyst["people_count"]) == (2, 2)


def test_role_detail_has_the_profile(client: TestClient, world: World) -> None:
    """`skills` lists skill {id, name}, target level (latent and 5-point), importance."""
    role = _get(client, world, f"/api/v1/roles/{world.ids['analyst_role']}")
    assert role["title"] == "Data Analyst"
    assert role["people_count"] == 2
    first = role["skills"][0]
    assert first["skill"] == {"id": world.ids["sql"], "name": "SQL"}
    assert (first["target_level"], first["display_level"], first["importance"]) == (0.6, 3, 0.9)
    assert first["essential"] is True
    assert [line["skill"]["name"] for line in role["skills"]] == [
        "SQL",
        "Python (computer programming)",
    ]
    missing = client.get("/api/v1/roles/999999", headers=bearer(world.tokens["hr"]))
    assert missing.status_code == 404


def test_employee_list_filters(client: TestClient, world: World) -> None:
    """Search by name, e-mail and id; filter by role and by unit including sub-units."""
    everyone = _get(client, world, "/api/v1/employees")
    assert everyone["total"] == 5
    assert _get(client, world, "/api/v1/employees", include_former="true")["total"] == 6
    assert _names(_get(client, world, "/api/v1/employees", q="rui analyst"), "first_name") == [
        "Rui"
    ]
    rui = everyone["items"][[p["first_name"] for p in everyone["items"]].index("Rui")]
    by_email = _get(client, world, "/api/v1/employees", q=rui["email"].upper())
    assert _names(by_email, "first_name") == ["Rui"]
    by_id = _get(client, world, "/api/v1/employees", q=rui["external_id"].lower())
    assert _names(by_id, "first_name") == ["Rui"]
    in_engineering = _get(client, world, "/api/v1/employees", unit_id=world.ids["engineering"])
    assert sorted(_names(in_engineering, "first_name")) == ["Ida", "Max", "Rui"]
    analysts = _get(client, world, "/api/v1/employees", role_id=world.ids["analyst_role"])
    assert sorted(_names(analysts, "first_name")) == ["Ida", "Rui"]


def test_employee_detail_shape(client: TestClient, world: World) -> None:
    """The record carries ids, names, role, manager, unit, location, dates and evidence."""
    rui = _get(client, world, f"/api/v1/employees/{world.ids['analyst']}")
    assert rui["external_id"].startswith("E")
    assert (rui["first_name"], rui["last_name"]) == ("Rui", "Analyst")
    assert rui["email"].startswith("rui.analyst")
    assert rui["role"] == {"id": world.ids["analyst_role"], "title": "Data Analyst"}
    assert rui["manager_id"] == world.ids["manager"]
    assert rui["unit"] == {"id": world.ids["data"], "name": "Data"}
    assert rui["location"]["country"] == "DE"
    assert rui["hired_on"] == "2022-01-10"
    assert rui["left_on"] is None
    assert [p["name"] for p in rui["reporting_chain"]] == ["Max Manager", "Cara Boss"]
    evidence = rui["evidence"]
    assert rui["evidence_total"] == len(evidence) == 3
    assert [e["source"] for e in evidence] == ["manager", "self", "assessment"]  # newest first
    assert evidence[0]["rater"] == {"id": world.ids["manager"], "name": "Max Manager"}
    assert (evidence[0]["display_level"], evidence[0]["display_label"]) == (4, "Advanced")
    manager = _get(client, world, f"/api/v1/employees/{world.ids['manager']}")
    assert sorted(r["first_name"] for r in manager["direct_reports"]) == ["Ida", "Rui"]
    former = _get(client, world, f"/api/v1/employees/{world.ids['former']}")
    assert former["active"] is False
    assert former["left_on"] is not None


def test_employee_cannot_read_a_peer(client: TestClient, world: World) -> None:
    """Rui's token sees only Rui; Oli is "not found", just like someone who does not exist."""
    mine = _get(client, world, "/api/v1/employees", who="employee")
    assert _names(mine, "first_name") == ["Rui"]
    own = client.get(
        f"/api/v1/employees/{world.ids['analyst']}", headers=bearer(world.tokens["employee"])
    )
    assert own.status_code == 200
    peer = client.get(
        f"/api/v1/employees/{world.ids['peer']}", headers=bearer(world.tokens["employee"])
    )
    absent = client.get("/api/v1/employees/999999", headers=bearer(world.tokens["employee"]))
    assert peer.status_code == absent.status_code == 404
    assert peer.json() == absent.json()
    manager = client.get(
        f"/api/v1/employees/{world.ids['manager']}", headers=bearer(world.tokens["employee"])
    )
    assert manager.status_code == 404


def test_manager_reads_their_reporting_line_only(client: TestClient, world: World) -> None:
    """Max sees himself, Rui, Ida (and Fay who left), never Oli or Cara."""
    line = _get(client, world, "/api/v1/employees", who="manager", include_former="true")
    assert sorted(_names(line, "first_name")) == ["Fay", "Ida", "Max", "Rui"]
    for name, status in [("analyst", 200), ("junior", 200), ("peer", 404), ("ceo", 404)]:
        response = client.get(
            f"/api/v1/employees/{world.ids[name]}", headers=bearer(world.tokens["manager"])
        )
        assert response.status_code == status, name
    report = _get(client, world, f"/api/v1/employees/{world.ids['analyst']}", who="manager")
    assert report["evidence_total"] == 3


@pytest.mark.parametrize("who", ["hr", "executive"])
def test_hr_and_executives_read_everyone(client: TestClient, world: World, who: str) -> None:
    """Org-wide roles see every person."""
    assert _get(client, world, "/api/v1/employees", who=who)["total"] == 5
    for name in ("ceo", "manager", "analyst", "junior", "peer", "former"):
        _get(client, world, f"/api/v1/employees/{world.ids[name]}", who=who)


def test_org_units_tree_with_headcount(client: TestClient, world: World) -> None:
    """Units in tree order with depth, own headcount and headcount including sub-units."""
    units = _get(client, world, "/api/v1/org-units")["items"]
    assert [(u["name"], u["depth"], u["headcount"], u["total_headcount"]) for u in units] == [
        ("Acme", 0, 1, 5),
        ("Engineering", 1, 1, 3),
        ("Data", 2, 2, 2),
        ("Sales", 1, 1, 1),
    ]
    assert units[1]["parent_id"] == world.ids["company"]
    data = _get(client, world, f"/api/v1/org-units/{world.ids['data']}")
    assert [b["name"] for b in data["breadcrumb"]] == ["Acme", "Engineering"]
    engineering = _get(client, world, f"/api/v1/org-units/{world.ids['engineering']}")
    assert [c["name"] for c in engineering["children"]] == ["Data"]
    missing = client.get("/api/v1/org-units/999999", headers=bearer(world.tokens["hr"]))
    assert missing.status_code == 404


def test_catalog_filters(client: TestClient, world: World) -> None:
    """Each filter narrows the catalog; items carry their locales."""
    path = "/api/v1/catalog/items"
    everything = _get(client, world, path)
    assert _names(everything, "title") == [
        "Advanced SQL project",
        "Handling common objections",
        "SQL basics",
    ]
    assert _names(_get(client, world, path, q="sql"), "title") == [
        "Advanced SQL project",
        "SQL basics",
    ]
    assert _names(_get(client, world, path, kind="microlearning"), "title") == [
        "Handling common objections"
    ]
    german = _get(client, world, path, locale="de")["items"]
    assert [(i["title"], i["locales"]) for i in german] == [("SQL basics", ["de", "en"])]
    assert _names(_get(client, world, path, offline="true"), "title") == ["SQL basics"]
    assert _get(client, world, path, offline="false")["total"] == 2
    assert _names(_get(client, world, path, max_minutes=5), "title") == [
        "Handling common objections"
    ]
    teaching_sql = _get(client, world, path, skill_id=world.ids["sql"])
    assert teaching_sql["total"] == 2
    assert _names(_get(client, world, path, provider="Acme Academy"), "title") == ["SQL basics"]


def test_catalog_item_detail(client: TestClient, world: World) -> None:
    """An item with the skills it teaches and its prerequisites (an item, a skill at a level)."""
    item = _get(client, world, f"/api/v1/catalog/items/{world.ids['advanced']}")
    assert item["kind"] == "project-based course"
    assert item["skills"][0]["skill"]["name"] == "SQL"
    assert item["skills"][0]["display_level"] == 4
    assert item["prerequisites"] == [
        {
            "item": {"id": world.ids["basics"], "title": "SQL basics"},
            "skill": None,
            "required_level": None,
            "display_level": None,
        },
        {
            "item": None,
            "skill": {"id": world.ids["python"], "name": "Python (computer programming)"},
            "required_level": 0.4,
            "display_level": 2,
        },
    ]
    missing = client.get("/api/v1/catalog/items/999999", headers=bearer(world.tokens["hr"]))
    assert missing.status_code == 404
