"""The app shell: health check, OpenAPI document and the self-hosted API docs."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from skillpath.web.app import STATIC_DIR

DOCUMENTED_PATHS = [
    "/api/v1/skills",
    "/api/v1/skills/{skill_id}",
    "/api/v1/roles",
    "/api/v1/roles/{role_id}",
    "/api/v1/employees",
    "/api/v1/employees/{employee_id}",
    "/api/v1/org-units",
    "/api/v1/org-units/{unit_id}",
    "/api/v1/catalog/items",
    "/api/v1/catalog/items/{item_id}",
]


def test_healthz(client: TestClient) -> None:
    """The health check needs no login."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_openapi_documents_every_read_endpoint(client: TestClient) -> None:
    """Each endpoint has a summary, a tag, bearer security and a typed response."""
    document = client.get("/api/openapi.json").json()
    for path in DOCUMENTED_PATHS:
        operation = document["paths"][path]["get"]
        assert operation["summary"], path
        assert operation["tags"], path
        assert operation["security"] == [{"HTTPBearer": []}], path
        assert "$ref" in str(operation["responses"]["200"]), path
    schemas = document["components"]["schemas"]
    assert {"SkillSummary", "RoleDetail", "EmployeeDetail", "OrgUnitRead", "ItemDetail"} <= set(
        schemas
    )
    assert "external_ids" in schemas["SkillSummary"]["properties"]
    assert not any(path.startswith(("/people", "/skills", "/login")) for path in document["paths"])


def test_api_docs_use_local_assets(client: TestClient) -> None:
    """Swagger UI is served from /static/vendor, never from a CDN."""
    html = client.get("/api/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "/static/vendor/swagger-ui/swagger-ui.css" in html
    assert "cdn." not in html
    assert "unpkg" not in html


def test_vendor_assets_are_served(client: TestClient) -> None:
    """The built assets answer (skipped before `make assets`)."""
    bundle = Path(STATIC_DIR) / "vendor" / "swagger-ui" / "swagger-ui-bundle.js"
    if not bundle.exists():
        pytest.skip("front-end assets are not built (run `make assets`)")
    for path in (
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "/static/vendor/htmx/htmx.min.js",
        "/static/vendor/echarts/echarts.min.js",
        "/static/js/charts.js",
        "/static/css/app.css",
    ):
        assert client.get(path).status_code == 200, path
