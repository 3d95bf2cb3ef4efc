"""Console records: filters, one report with its answers as the form showed them and its
messages, status updates (the official is texted), CSV export (BOM, `;`, no formulas)."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, OutboundMessage, ReportRecord
from app.seed import DEMO_MSISDN
from tests.backoffice_helpers import payload
from tests.console_helpers import make_admins, post, signed_in
from workers.reports import file_report


@pytest.fixture
def refs(demo: Flask) -> dict[str, str]:
    """A price report and a disaster report from Siti (Samarinda)."""
    make_admins()
    body = payload(key="rep-1")
    body["fields"]["pasar"] = '=HYPERLINK("http://x")'  # typed by an official: must not run in Excel
    price = file_report(body)["ref"]
    flood = file_report(payload(key="rep-2", report_type="bencana"))["ref"]
    return {"harga": str(price), "bencana": str(flood)}


def client_of(app: Flask, username: str) -> FlaskClient:
    return signed_in(app.test_client(), username)


def test_the_list_filters_by_type_status_and_date(demo: Flask, refs: dict[str, str]) -> None:
    smd = client_of(demo, "smd")
    everything = smd.get("/console/reports").get_data(as_text=True)
    assert refs["harga"] in everything and refs["bencana"] in everything
    floods = smd.get("/console/reports?type=bencana").get_data(as_text=True)
    assert refs["bencana"] in floods and refs["harga"] not in floods
    assert refs["harga"] not in smd.get("/console/reports?status=selesai").get_data(as_text=True)
    assert refs["harga"] not in smd.get("/console/reports?date_to=2020-01-01").get_data(as_text=True)
    assert smd.get("/console/reports?date_from=nonsense&type=zzz").status_code == 200
    other = client_of(demo, "bpn")
    assert refs["harga"] not in other.get("/console/reports").get_data(as_text=True)
    assert other.get(f"/console/reports/{refs['harga']}").status_code == 404


def test_one_report_shows_answers_as_the_form_did_and_its_messages(demo: Flask, refs: dict[str, str]) -> None:
    page = client_of(demo, "lihat").get(f"/console/reports/{refs['bencana']}").get_data(as_text=True)
    for shown in ("Jenis bencana", "Banjir", "Perkiraan warga terdampak", "120", "Sempaja Utara", "Tingkat urgensi"):
        assert shown in page, shown
    assert f"No. ref: {refs['bencana']}" in page  # the confirmation SMS
    assert "Simpan dan kirim SMS" not in page  # viewers read only
    price = client_of(demo, "lihat").get(f"/console/reports/{refs['harga']}").get_data(as_text=True)
    assert "14.500" in price


def test_a_status_update_texts_the_official_and_is_audited(demo: Flask, refs: dict[str, str]) -> None:
    smd = client_of(demo, "smd")
    url = f"/console/reports/{refs['harga']}"
    assert post(smd, url + "/status", {"status": "diproses", "note": "Dicek petugas"}, page=url).status_code == 302
    record = db.session.scalar(select(ReportRecord).where(ReportRecord.ref == refs["harga"]))
    assert record is not None and record.status == "diproses"
    texts = db.session.scalars(select(OutboundMessage.text).where(OutboundMessage.to == DEMO_MSISDN)).all()
    assert any("kini diproses" in t and "Dicek petugas" in t for t in texts)
    assert db.session.scalar(select(AuditEvent.actor).where(AuditEvent.action == "record.status")) == "admin:smd"
    assert post(smd, url + "/status", {"status": "hilang"}, page=url).status_code == 422
    assert post(client_of(demo, "lihat"), url + "/status", {"status": "selesai"}, page=url).status_code == 403
    assert post(client_of(demo, "bpn"), url + "/status", {"status": "selesai"}, page=url).status_code == 404


def test_the_csv_opens_in_excel_and_cannot_run_formulas(demo: Flask, refs: dict[str, str]) -> None:
    smd = client_of(demo, "smd")
    response = smd.get("/console/reports.csv?type=harga&sep=semicolon")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/csv" and body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert [r["ref"] for r in rows] == [refs["harga"]]
    assert rows[0]["pasar"] == '\'=HYPERLINK("http://x")' and rows[0]["official_name"] == "Siti Rahmawati"
    plain = smd.get("/console/reports.csv").get_data(as_text=True)
    assert plain.startswith("\ufeffref,report_type")
