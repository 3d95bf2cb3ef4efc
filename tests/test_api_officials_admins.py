"""/api/v1/officials, /api/v1/admins (province only) and /api/v1/audit."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Admin
from app.registry.lookup import handset_for_msisdn
from bench.registry_data import msisdn, nip
from tests.registry_helpers import add, audit_actions, bearer, make_tokens


def test_officials_list_show_and_patch(seeded: Flask) -> None:
    tokens = make_tokens()
    official_id = add(1).handset.official_id
    client, auth = seeded.test_client(), bearer(tokens["samarinda"])
    listed = client.get("/api/v1/officials?q=petugas", headers=auth).get_json()
    assert [o["nip"] for o in listed["items"]] == [nip(1)]
    assert client.get(f"/api/v1/officials/{official_id}", headers=auth).get_json()["name"] == "Petugas 1"
    handset_for_msisdn(msisdn(1))  # cached before the change
    response = client.patch(f"/api/v1/officials/{official_id}", json={"name": "Siti A", "language": "en"}, headers=auth)
    assert response.status_code == 200 and response.get_json()["language"] == "en"
    caller = handset_for_msisdn(msisdn(1))
    assert caller is not None and (caller.official_name, caller.language) == ("Siti A", "en")
    assert audit_actions(str(official_id))[-1] == "official.update"


def test_official_patch_rules(seeded: Flask) -> None:
    tokens = make_tokens()
    official_id = add(1).handset.official_id
    client = seeded.test_client()
    bad = client.patch(f"/api/v1/officials/{official_id}", json={"nip": "1"}, headers=bearer(tokens["province"]))
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "nip"
    move = {"regency": "Balikpapan"}
    refused = client.patch(f"/api/v1/officials/{official_id}", json=move, headers=bearer(tokens["samarinda"]))
    assert refused.status_code == 403
    moved = client.patch(f"/api/v1/officials/{official_id}", json=move, headers=bearer(tokens["province"]))
    assert moved.get_json()["regency_code"] == "6471"


def test_province_admin_creates_an_admin_and_gets_its_token_once(seeded: Flask) -> None:
    tokens = make_tokens()
    client, auth = seeded.test_client(), bearer(tokens["province"])
    body = {"username": "kukar", "role": "regency", "regency": "Kutai Kartanegara"}
    created = client.post("/api/v1/admins", json=body, headers=auth)
    assert created.status_code == 201
    token = created.get_json()["token"]
    assert client.get("/api/v1/handsets", headers=bearer(token)).status_code == 200
    listed = client.get("/api/v1/admins", headers=auth).get_json()
    assert "kukar" in [a["username"] for a in listed] and all("token" not in a for a in listed)
    assert client.post("/api/v1/admins", json=body, headers=auth).status_code == 409
    no_regency = {"username": "x1x", "role": "regency"}
    assert client.post("/api/v1/admins", json=no_regency, headers=auth).get_json()["field"] == "regency"
    admin = db.session.scalar(select(Admin).where(Admin.username == "kukar"))
    assert admin is not None and admin.regency_code == "6403"
    assert "admin.create" in audit_actions(str(admin.id))


def test_audit_lists_changes_newest_first_with_before_and_after(seeded: Flask) -> None:
    tokens = make_tokens()
    add(1)
    client, auth = seeded.test_client(), bearer(tokens["province"])
    from bench.registry_data import imei

    client.post(f"/api/v1/handsets/{imei(1)}/block", json={"reason": "lost"}, headers=auth)
    events = client.get(f"/api/v1/audit?object_type=handset&object_id={imei(1)}", headers=auth).get_json()
    first = events["items"][0]
    assert first["action"] == "handset.block" and first["actor"] == "admin:prov"
    assert (first["before"]["status"], first["after"]["status"]) == ("active", "blocked")


def test_changing_a_nip_to_a_taken_one_is_409_not_500(seeded: Flask) -> None:
    tokens = make_tokens()
    first = add(1).handset.official_id
    add(2)
    client = seeded.test_client()
    response = client.patch(f"/api/v1/officials/{first}", json={"nip": nip(2)}, headers=bearer(tokens["province"]))
    assert response.status_code == 409 and response.get_json()["field"] == "nip"


def test_deactivating_an_admin_revokes_its_tokens(seeded: Flask) -> None:
    tokens = make_tokens()
    client, auth = seeded.test_client(), bearer(tokens["province"])
    smd = db.session.scalar(select(Admin).where(Admin.username == "smd"))
    assert smd is not None
    assert client.post(f"/api/v1/admins/{smd.id}/deactivate", headers=bearer(tokens["samarinda"])).status_code == 403
    response = client.post(f"/api/v1/admins/{smd.id}/deactivate", headers=auth)
    assert response.status_code == 200 and response.get_json()["active"] is False
    assert client.get("/api/v1/handsets", headers=bearer(tokens["samarinda"])).status_code == 401
    assert "admin.deactivate" in audit_actions(str(smd.id))
