"""The OpenAPI document and docs page are generated from the code and always reachable."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_openapi_document_lists_the_contract_paths(client: FlaskClient) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.")
    paths = set(spec["paths"])
    for path in (
        "/api/v1/handsets",
        "/api/v1/handsets/{imei}",
        "/api/v1/handsets/{imei}/block",
        "/api/v1/handsets/{imei}/unblock",
        "/api/v1/handsets/{imei}/swap-sim",
        "/api/v1/handsets/import",
        "/api/v1/officials",
        "/api/v1/officials/{official_id}",
        "/api/v1/admins",
        "/api/v1/audit",
    ):
        assert path in paths, path
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_docs_page_is_served(client: FlaskClient) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200 and b"swagger" in response.data.lower()


def test_unknown_paths_still_answer_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["message"]
