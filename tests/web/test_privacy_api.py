"""The right of access and the right to erasure over the API (own database: it erases).

The known company (tests/web/world.py): Rui (employee login) reports to Max (manager); Fay has
left.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import bearer, log_in, migrated_database, seed_world
from tests.web.world import World


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def web_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, World]]:
    """A fresh copy of the known company."""
    for url in migrated_database(request.param, tmp_path_factory):
        yield url, seed_world(url)


def test_export_is_for_the_person_and_hr(client: TestClient, world: World) -> None:
    rui = world.ids["analyst"]
    mine = client.get(
        f"/api/v1/employees/{rui}/personal-data", headers=bearer(world.tokens["employee"])
    )
    assert mine.status_code == 200, mine.text
    assert mine.headers["content-disposition"].startswith("attachment")
    body = mine.json()
    assert body["employee"]["first_name"] == "Rui"
    assert "skill_evidence.employee_id" in body["records"]
    for who in ("manager", "peer"):
        refused = client.get(
            f"/api/v1/employees/{rui}/personal-data", headers=bearer(world.tokens[who])
        )
        assert refused.status_code == 404
    assert (
        client.get(
            f"/api/v1/employees/{rui}/personal-data", headers=bearer(world.tokens["hr"])
        ).status_code
        == 200
    )


def test_erasure_over_the_api(client: TestClient, world: World) -> None:
    fay, rui = world.ids["former"], world.ids["analyst"]
    hr = bearer(world.tokens["hr"])
    url = f"/api/v1/employees/{fay}/erase"
    assert (
        client.post(url, json={"confirm": "x"}, headers=bearer(world.tokens["manager"])).status_code
        == 403
    )
    assert client.post(url, json={"confirm": "wrong"}, headers=hr).status_code == 422
    still_here = client.post(f"/api/v1/employees/{rui}/erase", json={"confirm": "x"}, headers=hr)
    assert still_here.status_code in (409, 422)
    external = client.get(f"/api/v1/employees/{fay}", headers=hr).json()["external_id"]
    done = client.post(url, json={"confirm": external}, headers=hr)
    assert done.status_code == 200, done.text
    assert set(done.json()) == {"deleted", "detached", "kept"}
    after = client.get(f"/api/v1/employees/{fay}", headers=hr).json()
    assert after["first_name"] == "Erased"
    assert after["email"] is None
    assert client.post(url, json={"confirm": external}, headers=hr).status_code == 422


def test_the_person_downloads_their_data_from_their_page(client: TestClient, world: World) -> None:
    rui = world.ids["analyst"]
    log_in(client, world.emails["employee"])
    page = client.get(f"/people/{rui}").text
    assert f'href="/people/{rui}/personal-data.json"' in page
    assert "Download my data" in page
    download = client.get(f"/people/{rui}/personal-data.json")
    assert download.status_code == 200
    assert download.json()["employee"]["id"] == rui
    manager = world.ids["manager"]
    assert f"/people/{manager}/personal-data.json" not in client.get(f"/people/{manager}").text
    assert client.get(f"/people/{manager}/personal-data.json").status_code == 404
