"""/api/v1 records, reports, incidents, announcements and crisis contacts; scope is a 404."""

from __future__ import annotations

import csv
import io

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import OutboundMessage
from tests.backoffice_helpers import BUDI_NIP, MARIA_NIP, SITI_NIP, payload
from tests.registry_helpers import bearer, make_tokens
from workers.reports import file_report


def setup(app: Flask) -> tuple[FlaskClient, dict[str, dict[str, str]], dict[str, str]]:
    tokens = {k: bearer(v) for k, v in make_tokens().items()}
    refs = {
        "samarinda": file_report(payload(SITI_NIP, key="p1", notify_msisdn=None))["ref"],
        "bencana": file_report(payload(SITI_NIP, key="p2", report_type="bencana", notify_msisdn=None))["ref"],
        "kukar": file_report(payload(BUDI_NIP, key="p3", notify_msisdn=None))["ref"],
        "balikpapan": file_report(payload(MARIA_NIP, key="p4", notify_msisdn=None))["ref"],
    }
    return app.test_client(), tokens, refs


def test_reports_list_filters_and_paginates(demo: Flask) -> None:
    client, auth, refs = setup(demo)
    everything = client.get("/api/v1/reports?per_page=2", headers=auth["province"]).get_json()
    assert everything["total"] == 4 and len(everything["items"]) == 2
    kukar = client.get("/api/v1/reports?regency=Kutai Kartanegara", headers=auth["province"]).get_json()
    assert [r["ref"] for r in kukar["items"]] == [refs["kukar"]]
    disasters = client.get("/api/v1/reports?type=bencana", headers=auth["province"]).get_json()
    assert [r["ref"] for r in disasters["items"]] == [refs["bencana"]]
    assert disasters["items"][0]["fields"]["terdampak"] == 120
    assert client.get("/api/v1/reports?status=selesai", headers=auth["province"]).get_json()["total"] == 0
    assert client.get("/api/v1/reports?date_to=2000-01-01", headers=auth["province"]).get_json()["total"] == 0
    assert client.get("/api/v1/reports?type=gosip", headers=auth["province"]).status_code == 422
    assert client.get("/api/v1/reports").status_code == 401


def test_regency_admin_sees_only_their_regency_and_404_for_others(demo: Flask) -> None:
    client, auth, refs = setup(demo)
    mine = client.get("/api/v1/reports", headers=auth["samarinda"]).get_json()
    assert {r["ref"] for r in mine["items"]} == {refs["samarinda"], refs["bencana"]}
    assert client.get("/api/v1/reports?regency=6403", headers=auth["samarinda"]).get_json()["total"] == 0
    assert client.get(f"/api/v1/records/{refs['samarinda']}", headers=auth["samarinda"]).status_code == 200
    other = client.get(f"/api/v1/records/{refs['kukar']}", headers=auth["samarinda"])
    assert other.status_code == 404 and "not found" in other.get_json()["message"]
    change = client.post(
        f"/api/v1/records/{refs['kukar']}/status", json={"status": "selesai"}, headers=auth["samarinda"]
    )
    assert change.status_code == 404
    incidents = client.get("/api/v1/incidents", headers=auth["balikpapan"]).get_json()
    assert incidents["total"] == 0
    exported = client.get("/api/v1/reports/export.csv", headers=auth["balikpapan"]).get_data(as_text=True)
    assert [row["ref"] for row in csv.DictReader(io.StringIO(exported))] == [refs["balikpapan"]]


def test_record_shows_history_and_status_update_texts_the_official(demo: Flask) -> None:
    client, auth, refs = setup(demo)
    ref = refs["samarinda"]
    body = {"status": "diproses", "note": "Petugas ke pasar"}
    response = client.post(f"/api/v1/records/{ref}/status", json=body, headers=auth["samarinda"])
    assert response.status_code == 200, response.get_json()
    assert [h["status"] for h in response.get_json()["history"]] == ["diterima", "diproses"]
    shown = client.get(f"/api/v1/records/{ref}", headers=auth["province"]).get_json()
    assert shown["status"] == "diproses" and shown["history"][1]["changed_by"]
    sms = db.session.scalars(select(OutboundMessage)).one()
    assert sms.to == "+6281350000001" and "diproses" in sms.text
    bad = client.post(f"/api/v1/records/{ref}/status", json={"status": "hilang"}, headers=auth["province"])
    assert bad.status_code == 422
    viewer = client.post(f"/api/v1/records/{ref}/status", json=body, headers=auth["viewer"])
    assert viewer.status_code == 403


def test_incidents_by_state(demo: Flask) -> None:
    client, auth, refs = setup(demo)
    open_ = client.get("/api/v1/incidents?state=open", headers=auth["samarinda"]).get_json()
    assert [i["ref"] for i in open_["items"]] == [refs["bencana"]]
    assert open_["items"][0]["affected"] == 120 and open_["items"][0]["severity"] == "kritis"
    assert client.get("/api/v1/incidents?state=acknowledged", headers=auth["province"]).get_json()["total"] == 0


def test_csv_export_for_a_regency_and_period(demo: Flask) -> None:
    client, auth, refs = setup(demo)
    response = client.get("/api/v1/reports/export.csv?regency=6472&type=harga", headers=auth["province"])
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["ref"] for r in rows] == [refs["samarinda"]] and rows[0]["harga"] == "14500"


def test_announcements_regency_admins_publish_only_for_their_own(demo: Flask) -> None:
    client, auth, _ = setup(demo)
    own = {"regency": "6472", "title": "Jalan ditutup", "body": "Jl. Juanda ditutup sampai Jumat."}
    assert client.post("/api/v1/announcements", json=own, headers=auth["samarinda"]).status_code == 201
    other = {**own, "regency": "6471"}
    assert client.post("/api/v1/announcements", json=other, headers=auth["samarinda"]).status_code == 404
    province = {**own, "regency": None}
    assert client.post("/api/v1/announcements", json=province, headers=auth["samarinda"]).status_code == 404
    assert client.post("/api/v1/announcements", json=province, headers=auth["province"]).status_code == 201
    seen = client.get("/api/v1/announcements", headers=auth["balikpapan"]).get_json()
    assert "Jalan ditutup" in {a["title"] for a in seen}  # the province-wide one
    assert "6472" not in {a["regency_code"] for a in seen}  # not Samarinda's own


def test_crisis_contacts_by_api(demo: Flask) -> None:
    client, auth, _ = setup(demo)
    added = client.post(
        "/api/v1/crisis-contacts",
        json={"msisdn": "0812-5000-0001", "name": "BPBD", "regency": "6472"},
        headers=auth["samarinda"],
    )
    assert added.status_code == 201 and added.get_json()["msisdn"] == "+6281250000001"
    again = client.post(
        "/api/v1/crisis-contacts",
        json={"msisdn": "081250000001", "name": "BPBD", "regency": "6472"},
        headers=auth["samarinda"],
    )
    assert again.status_code == 409
    foreign = {"msisdn": "081250000002", "name": "X", "regency": "6471"}
    assert client.post("/api/v1/crisis-contacts", json=foreign, headers=auth["samarinda"]).status_code == 404
    fixed_line = {"msisdn": "0541-123456", "name": "Kantor", "regency": "6472"}
    assert client.post("/api/v1/crisis-contacts", json=fixed_line, headers=auth["samarinda"]).status_code == 422
    contact_id = added.get_json()["id"]
    assert client.get("/api/v1/crisis-contacts", headers=auth["balikpapan"]).get_json() == []
    assert client.delete(f"/api/v1/crisis-contacts/{contact_id}", headers=auth["balikpapan"]).status_code == 404
    assert client.delete(f"/api/v1/crisis-contacts/{contact_id}", headers=auth["samarinda"]).status_code == 204


def test_openapi_document_lists_the_back_office_paths(demo: Flask) -> None:
    paths = demo.test_client().get("/api/openapi.json").get_json()["paths"]
    for path in ("/api/v1/reports", "/api/v1/records/{ref}", "/api/v1/incidents", "/api/v1/reports/export.csv"):
        assert path in paths
