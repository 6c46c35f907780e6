"""The HTML pages: each renders for each role with real figures, search works with and without
HTMX, visibility holds, and every page explains what it shows."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import log_in
from tests.web.world import LOGINS, World


def _visit(client: TestClient, world: World, who: str) -> TestClient:
    log_in(client, world.emails[who])
    return client


def _text(html: str) -> str:
    """The visible text of a page with whitespace collapsed (for readable assertions)."""
    without_tags = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", without_tags)


def _pages(world: World) -> list[str]:
    ids = world.ids
    return [
        "/",
        "/people",
        f"/people/{ids['analyst']}",
        "/roles",
        f"/roles/{ids['analyst_role']}",
        f"/roles/{ids['template']}",
        "/skills",
        f"/skills/{ids['sql']}",
        f"/skills/{ids['esco_group']}",
        f"/skills/{ids['listening']}",
        "/catalog",
        f"/catalog/{ids['advanced']}",
        f"/catalog/{ids['basics']}",
    ]


@pytest.mark.parametrize("who", LOGINS)
def test_every_page_renders_for_every_role(client: TestClient, world: World, who: str) -> None:
    """Shared pages answer 200 for everyone (the peer may not open Rui's record: 404)."""
    _visit(client, world, who)
    for path in _pages(world):
        response = client.get(path)
        expected = 404 if who == "peer" and path == f"/people/{world.ids['analyst']}" else 200
        assert response.status_code == expected, (who, path)
        assert "<h1>" in response.text or "<h1" in response.text
        assert "Traceback" not in response.text


def test_pages_need_a_login(client: TestClient, world: World) -> None:
    """Anonymous visitors are sent to the login page, keeping where they wanted to go."""
    response = client.get("/people?q=rui", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/people%3Fq%3Drui"


def test_hr_home_shows_the_organisation(client: TestClient, world: World) -> None:
    """Answer first, then explained tiles: all numbers computed from the seeded company."""
    text = _text(_visit(client, world, "hr").get("/").text)
    assert (
        "5 active people in 2 countries; 2 openings filled in the last 12 months, 50% internally"
        in text
    )
    assert "Median time to fill 60 days" in text
    assert "internal 30, external 90" in text
    assert "Leavers, last 12 months 1" in text
    assert "Open now 1" in text
    assert "Skills in the taxonomy 3" in text
    assert "Catalog items 3" in text
    assert "Evidence, last 90 days 3" in text
    assert "Counted from employee records" in text
    assert "Germany" in text
    assert "United Kingdom" in text
    assert "Engineering" in text
    assert "Sales" in text


def test_executive_home_is_the_organisation_too(client: TestClient, world: World) -> None:
    """Executives read the same organisation figures."""
    text = _text(_visit(client, world, "executive").get("/").text)
    assert "5 active people in 2 countries" in text


def test_manager_home_shows_the_team(client: TestClient, world: World) -> None:
    """Team size, direct reports with evidence freshness, and the manager's own line."""
    text = _text(_visit(client, world, "manager").get("/").text)
    assert "You lead 2 people (2 direct reports)" in text
    assert "1 of them (50%) have skill evidence from the last 6 months" in text
    assert "Rui Analyst" in text
    assert "Ida Junior" in text
    assert "None yet" in text  # Ida has no evidence
    assert "Fay" not in text  # left the company
    assert "You work as Engineering Manager in Engineering, reporting to Cara Boss" in text


def test_employee_home_shows_their_situation(client: TestClient, world: World) -> None:
    """Role, unit, manager, and how much of the role profile has evidence."""
    text = _text(_visit(client, world, "employee").get("/").text)
    assert "You work as Data Analyst in Data, reporting to Max Manager" in text
    assert "Your role profile asks for 2 skills; you have evidence for 2 of them" in text
    assert "Skills with evidence 2" in text
    assert "Evidence rows 3" in text
    assert "Intermediate" in text or "Advanced" in text


def test_navigation_follows_the_role(client: TestClient, world: World) -> None:
    """HR sees People and Audit; managers My team; employees neither."""
    hr = _visit(client, world, "hr").get("/").text
    assert 'href="/audit"' in hr
    assert ">People<" in hr
    client.cookies.clear()
    manager = _visit(client, world, "manager").get("/").text
    assert ">My team<" in manager
    assert 'href="/audit"' not in manager
    client.cookies.clear()
    employee = _visit(client, world, "employee").get("/").text
    assert 'href="/people"' not in employee.split("<main")[0]
    assert ">My profile<" in employee


def test_directory_search_without_javascript(client: TestClient, world: World) -> None:
    """A plain GET form: the full page comes back with the matching people only."""
    _visit(client, world, "hr")
    response = client.get("/people", params={"q": "oli", "unit_id": "", "role_id": ""})
    assert response.status_code == 200
    assert "<html" in response.text
    text = _text(response.text)
    assert "Seller, Oli" in text
    assert "Analyst, Rui" not in text
    assert "1 person found" in text


def test_directory_live_search_swaps_only_the_results(client: TestClient, world: World) -> None:
    """HTMX asks for #people-results and gets the fragment alone."""
    _visit(client, world, "hr")
    headers = {"HX-Request": "true", "HX-Target": "people-results"}
    response = client.get("/people", params={"q": "analyst"}, headers=headers)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Analyst, Rui" in _text(response.text)
    restore = client.get(
        "/people",
        params={"q": "analyst"},
        headers={**headers, "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.text


def test_directory_unit_filter_includes_sub_units(client: TestClient, world: World) -> None:
    """Engineering covers Data below it; leavers appear only on request."""
    _visit(client, world, "hr")
    text = _text(client.get("/people", params={"unit_id": world.ids["engineering"]}).text)
    assert "3 people found" in text
    assert "Former, Fay" not in text
    with_former = _text(
        client.get("/people", params={"unit_id": world.ids["engineering"], "former": "1"}).text
    )
    assert "Former, Fay" in with_former


def test_directory_shows_only_what_the_viewer_may_see(client: TestClient, world: World) -> None:
    """The peer's directory holds only themselves."""
    text = _text(_visit(client, world, "peer").get("/people").text)
    assert "1 person found" in text
    assert "Seller, Oli" in text
    assert "Analyst" not in text.split("found")[1]


def test_directory_counts_what_it_shows(client: TestClient, world: World) -> None:
    """The pager says which rows are shown out of how many."""
    _visit(client, world, "hr")
    assert "Showing 1–5 of 5" in _text(client.get("/people", params={"unit_id": ""}).text)


def test_bad_filter_values_get_a_friendly_error(client: TestClient, world: World) -> None:
    """A unit id that is not a number is an explained 422, not a crash."""
    _visit(client, world, "hr")
    response = client.get("/people", params={"unit_id": "sales"})
    assert response.status_code == 422
    assert "must be a whole number" in response.text
    assert client.get("/catalog", params={"kind": "podcast"}).status_code == 422


def test_employee_page(client: TestClient, world: World) -> None:
    """Role, manager, unit, location, languages, reports, evidence and who can see it."""
    _visit(client, world, "manager")
    text = _text(client.get(f"/people/{world.ids['analyst']}").text)
    assert "Rui Analyst" in text
    assert "Who can see this" in text
    assert "their manager Max Manager and 1 manager above" in text
    assert "HR administrators and executives" in text
    assert "Data Analyst" in text
    assert "Germany" in text
    assert "English" in text
    assert "Advanced (4/5 · 0.80)" in text
    assert "Intermediate (3/5 · 0.60)" in text
    assert "Manager Max Manager" in text
    assert "80%" in text
    html = client.get(f"/people/{world.ids['analyst']}").text
    assert f'href="/people/{world.ids["manager"]}"' in html


def test_employees_cannot_open_peers_pages(client: TestClient, world: World) -> None:
    """404 for a peer or one's own manager; one's own page works and the manager is not a link."""
    _visit(client, world, "employee")
    assert client.get(f"/people/{world.ids['peer']}").status_code == 404
    assert client.get(f"/people/{world.ids['manager']}").status_code == 404
    own = client.get(f"/people/{world.ids['analyst']}")
    assert own.status_code == 200
    assert f'href="/people/{world.ids["manager"]}"' not in own.text
    assert "Who can see this" in own.text


def test_role_page_has_chart_and_table(client: TestClient, world: World) -> None:
    """Target levels as an ECharts bar with the same data in a table."""
    _visit(client, world, "employee")
    html = client.get(f"/roles/{world.ids['analyst_role']}").text
    assert "data-chart-bar=" in html
    assert "/static/vendor/echarts/echarts.min.js" in html
    text = _text(html)
    assert "2 people hold this role today" in text
    assert "Intermediate (3/5 · 0.60)" in text
    assert "Essential" in text


def test_roles_list_filters(client: TestClient, world: World) -> None:
    """Templates only on request."""
    _visit(client, world, "hr")
    assert "data scientist" not in client.get("/roles").text
    assert "data scientist" in client.get("/roles", params={"templates": "1"}).text
    fragment = client.get(
        "/roles", params={"q": "sales"}, headers={"HX-Request": "true", "HX-Target": "role-results"}
    )
    assert "<html" not in fragment.text
    assert "Sales Rep" in fragment.text


def test_taxonomy_browser(client: TestClient, world: World) -> None:
    """Sources, hierarchy, alias search and the skill page with attribution."""
    _visit(client, world, "employee")
    index = _text(client.get("/skills").text)
    assert "Browse the hierarchy" in index
    assert "ICT skills" in index
    found = _text(client.get("/skills", params={"q": "structured"}).text)
    assert "1 skill found" in found
    assert "SQL" in found
    sql = _text(client.get(f"/skills/{world.ids['sql']}").text)
    assert "Skills › ICT skills" in sql
    assert "Structured Query Language" in sql
    assert "ESCO, European Commission" in sql
    assert "Data Analyst" in sql
    assert "SQL basics" in sql
    assert "Related Python (computer programming)" in sql
    listening = _text(client.get(f"/skills/{world.ids['listening']}").text)
    assert "O*NET" in listening
    assert "USDOL/ETA" in listening


def test_catalog_browser(client: TestClient, world: World) -> None:
    """Filters by kind, language, offline and duration; the item page lists what it needs."""
    _visit(client, world, "employee")
    offline = _text(client.get("/catalog", params={"offline": "true"}).text)
    assert "1 item found" in offline
    assert "SQL basics" in offline
    short = _text(client.get("/catalog", params={"max_minutes": "5", "kind": ""}).text)
    assert "Handling common objections" in short
    assert "SQL basics" not in short
    by_skill = _text(client.get("/catalog", params={"skill": "sql"}).text)
    assert "2 items found" in by_skill
    item = _text(client.get(f"/catalog/{world.ids['advanced']}").text)
    assert "Complete SQL basics" in item
    assert "Python (computer programming) at Beginner (2/5 · 0.40)" in item
    assert "10 h" in item


def test_audit_log_is_for_hr_only(client: TestClient, world: World) -> None:
    """HR reads and filters the log; everyone else is refused."""
    _visit(client, world, "hr")
    page = _text(client.get("/audit").text)
    assert "Audit log" in page
    assert "Showing 1–" in page
    created = _text(client.get("/audit", params={"action": "user.create"}).text)
    assert "created user hr@example.com with role hr_admin" in created
    only_logins = _text(client.get("/audit", params={"action": "login"}).text)
    table = only_logins.split("What happened")[1]
    assert "logged in" in table
    assert "created user" not in table
    assert client.get("/audit", params={"action": "nonsense"}).status_code == 422
    client.cookies.clear()
    _visit(client, world, "manager")
    assert client.get("/audit").status_code == 403
