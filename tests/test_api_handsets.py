"""/api/v1/handsets: create, list, show, patch, state changes; 422 with field and reason."""

from __future__ import annotations

from urllib.parse import quote

from flask import Flask
from flask.testing import FlaskClient

from bench.registry_data import imei, msisdn, nip
from tests.registry_helpers import audit_actions, bearer, make_tokens


def new_handset(n: int, regency: str = "6472", number: str | None = "") -> dict[str, object]:
    body: dict[str, object] = {
        "imei": imei(n),
        "regency": regency,
        "official": {"name": f"Petugas {n}", "nip": nip(n), "position": "Staf", "language": "id"},
    }
    if number is not None:
        body["msisdn"] = number or msisdn(n)
    return body


def setup(app: Flask) -> tuple[FlaskClient, dict[str, str]]:
    tokens = make_tokens()
    return app.test_client(), {k: bearer(v) for k, v in tokens.items()}  # type: ignore[misc]


def test_create_show_and_list(seeded: Flask) -> None:
    client, auth = setup(seeded)
    response = client.post("/api/v1/handsets", json=new_handset(1), headers=auth["province"])
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["status"] == "active" and created["official"]["nip"] == nip(1)
    assert created["activation_code"] is None
    assert client.get(f"/api/v1/handsets/{imei(1)}", headers=auth["province"]).get_json()["msisdn"] == msisdn(1)
    client.post("/api/v1/handsets", json=new_handset(2, "6471"), headers=auth["province"])
    listed = client.get("/api/v1/handsets?per_page=1", headers=auth["province"]).get_json()
    assert listed["total"] == 2 and len(listed["items"]) == 1
    assert client.get("/api/v1/handsets?regency=balikpapan", headers=auth["province"]).get_json()["total"] == 1
    assert client.get("/api/v1/handsets?q=petugas 2", headers=auth["province"]).get_json()["total"] == 1
    for wildcard in ("%", "_", "petugas%2"):  # LIKE's wildcards are searched for, not expanded
        assert client.get(f"/api/v1/handsets?q={quote(wildcard)}", headers=auth["province"]).get_json()["total"] == 0
    found = client.get(f"/api/v1/handsets?q={msisdn(1)[-6:]}", headers=auth["province"]).get_json()
    assert [h["imei"] for h in found["items"]] == [imei(1)]


def test_create_without_number_returns_an_activation_code_once(seeded: Flask) -> None:
    client, auth = setup(seeded)
    created = client.post("/api/v1/handsets", json=new_handset(1, number=None), headers=auth["samarinda"]).get_json()
    assert created["status"] == "provisioned" and len(created["activation_code"]) == 6
    shown = client.get(f"/api/v1/handsets/{imei(1)}", headers=auth["samarinda"]).get_json()
    assert "activation_code" not in shown


def test_a_regency_admin_creates_in_its_own_regency_by_default(seeded: Flask) -> None:
    client, auth = setup(seeded)
    body = new_handset(1)
    del body["regency"]
    assert client.post("/api/v1/handsets", json=body, headers=auth["samarinda"]).get_json()["regency_code"] == "6472"


def test_validation_errors_are_422_with_field_and_reason(seeded: Flask) -> None:
    client, auth = setup(seeded)
    cases = {
        "imei": new_handset(1) | {"imei": "123456789012347"},
        "msisdn": new_handset(1) | {"msisdn": "0541 741234"},
        "nip": new_handset(1) | {"official": {"name": "A B", "nip": "123"}},
        "regency": new_handset(1) | {"regency": "Jakarta"},
    }
    for field, body in cases.items():
        response = client.post("/api/v1/handsets", json=body, headers=auth["province"])
        assert response.status_code == 422, (field, response.get_json())
        answer = response.get_json()
        assert answer["errors"][0]["field"] == field and answer["errors"][0]["error"]
    response = client.post("/api/v1/handsets", json={"regency": "6472"}, headers=auth["province"])
    assert response.status_code == 422
    assert response.get_json()["errors"] == [{"field": "imei", "error": "Missing data for required field."}]


def test_conflicts_are_409(seeded: Flask) -> None:
    client, auth = setup(seeded)
    client.post("/api/v1/handsets", json=new_handset(1), headers=auth["province"])
    response = client.post("/api/v1/handsets", json=new_handset(2, number=msisdn(1)), headers=auth["province"])
    assert response.status_code == 409 and response.get_json()["field"] == "msisdn"


def test_block_unblock_swap_retire_and_patch_are_audited(seeded: Flask) -> None:
    client, auth = setup(seeded)
    client.post("/api/v1/handsets", json=new_handset(1), headers=auth["samarinda"])
    client.post("/api/v1/handsets", json=new_handset(2, number=None), headers=auth["samarinda"])
    official_2 = client.get(f"/api/v1/handsets/{imei(2)}", headers=auth["samarinda"]).get_json()["official"]["id"]
    base = f"/api/v1/handsets/{imei(1)}"
    steps = [
        ("post", "/block", {"reason": "stolen"}, "blocked"),
        ("post", "/unblock", None, "active"),
        ("post", "/swap-sim", {"msisdn": "0812 9999 0001"}, "active"),
        ("patch", "", {"official_id": official_2}, "active"),
        ("post", "/retire", None, "retired"),
    ]
    for method, suffix, body, status in steps:
        response = getattr(client, method)(base + suffix, json=body, headers=auth["samarinda"])
        assert response.status_code == 200, (suffix, response.get_json())
        assert response.get_json()["status"] == status
    expected = ["handset.block", "handset.unblock", "handset.swap_sim", "handset.update", "handset.retire"]
    assert audit_actions(imei(1))[1:] == expected
    bad = client.post(base + "/block", json={"reason": "dropped"}, headers=auth["province"])
    assert bad.status_code in (409, 422)


def test_block_reason_is_checked(seeded: Flask) -> None:
    client, auth = setup(seeded)
    client.post("/api/v1/handsets", json=new_handset(1), headers=auth["province"])
    response = client.post(f"/api/v1/handsets/{imei(1)}/block", json={"reason": "dropped"}, headers=auth["province"])
    assert response.status_code == 422 and response.get_json()["errors"][0]["field"] == "reason"


def test_create_accepts_the_csv_columns_flat(seeded: Flask) -> None:
    client, auth = setup(seeded)
    body = {
        "imei": imei(7),
        "msisdn": msisdn(7),
        "regency": "Samarinda",
        "official_name": "Petugas Datar",
        "nip": nip(7),
        "position": "Staf",
        "language": "en",
    }
    response = client.post("/api/v1/handsets", json=body, headers=auth["province"])
    assert response.status_code == 201, response.get_json()
    official = response.get_json()["official"]
    assert (official["name"], official["nip"], official["language"]) == ("Petugas Datar", nip(7), "en")
