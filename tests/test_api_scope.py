"""A regency admin's token sees and changes only its own regency, through every endpoint (404)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import Handset, Official
from bench.registry_data import csv_text, imei, msisdn, row
from tests.registry_helpers import add, bearer, make_tokens

# Handset 1 is in Balikpapan (6471); the caller is Samarinda's (6472) admin.


@pytest.fixture
def other(seeded: Flask) -> tuple[FlaskClient, dict[str, str], int]:
    tokens = make_tokens()
    added = add(1, regency="6471")
    add(2, regency="6472")
    assert added.handset.official_id is not None
    return seeded.test_client(), bearer(tokens["samarinda"]), added.handset.official_id


def test_every_handset_endpoint_answers_404_for_another_regency(other: tuple[FlaskClient, dict[str, str], int]) -> None:
    client, auth, _ = other
    base = f"/api/v1/handsets/{imei(1)}"
    calls = [
        ("get", base, None),
        ("patch", base, {"regency": "6472"}),
        ("post", base + "/block", {"reason": "lost"}),
        ("post", base + "/unblock", None),
        ("post", base + "/swap-sim", {"msisdn": msisdn(50)}),
        ("post", base + "/retire", None),
        ("post", base + "/activation-code", None),
    ]
    for method, url, body in calls:
        response = getattr(client, method)(url, json=body, headers=auth)
        assert response.status_code == 404, (method, url, response.get_json())
    handset = db.session.scalar(select(Handset).where(Handset.imei == imei(1)))
    assert handset is not None
    assert (handset.status, handset.msisdn, handset.regency_code) == ("active", msisdn(1), "6471")


def test_lists_show_only_the_own_regency(other: tuple[FlaskClient, dict[str, str], int]) -> None:
    client, auth, _ = other
    handsets = client.get("/api/v1/handsets", headers=auth).get_json()
    assert [h["imei"] for h in handsets["items"]] == [imei(2)]
    assert client.get("/api/v1/handsets?regency=6471", headers=auth).get_json()["total"] == 0
    assert client.get(f"/api/v1/handsets?q={imei(1)}", headers=auth).get_json()["total"] == 0
    officials = client.get("/api/v1/officials", headers=auth).get_json()
    assert {o["regency_code"] for o in officials["items"]} == {"6472"}
    events = client.get("/api/v1/audit", headers=auth).get_json()
    assert events["total"] > 0 and {e["regency_code"] for e in events["items"]} == {"6472"}


def test_officials_of_another_regency_are_404(other: tuple[FlaskClient, dict[str, str], int]) -> None:
    client, auth, official_id = other
    assert client.get(f"/api/v1/officials/{official_id}", headers=auth).status_code == 404
    assert client.patch(f"/api/v1/officials/{official_id}", json={"name": "X Y"}, headers=auth).status_code == 404
    official = db.session.get(Official, official_id)
    assert official is not None and official.name == "Petugas 1"


def test_cannot_create_bind_or_import_into_another_regency(other: tuple[FlaskClient, dict[str, str], int]) -> None:
    client, auth, official_id = other
    from tests.test_api_handsets import new_handset

    assert client.post("/api/v1/handsets", json=new_handset(3, "6471"), headers=auth).status_code == 404
    body = {"imei": imei(4), "official_id": official_id}
    assert client.post("/api/v1/handsets", json=body, headers=auth).status_code == 404
    response = client.post(
        "/api/v1/handsets/import", data=csv_text([row(5, regency="6471")]), headers=auth, content_type="text/csv"
    )
    assert response.status_code == 422
    assert response.get_json()["rejected"][0]["field"] == "regency"
    assert db.session.scalar(select(Handset).where(Handset.imei.in_([imei(3), imei(4), imei(5)]))) is None


def test_the_province_admin_sees_everything(seeded: Flask) -> None:
    tokens = make_tokens()
    add(1, regency="6471")
    add(2, regency="6472")
    client = seeded.test_client()
    assert client.get("/api/v1/handsets", headers=bearer(tokens["province"])).get_json()["total"] == 2
    assert client.get("/api/v1/handsets", headers=bearer(tokens["viewer"])).get_json()["total"] == 2
