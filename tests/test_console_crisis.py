"""Console Crisis Center: the board, acknowledge (once, one SMS to the reporter, same as `OK <ref>`),
assign, note, close, contacts; roles and the regency rule."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.backoffice.crisis import acknowledge as sms_acknowledge
from app.extensions import db
from app.models import AuditEvent, CrisisContact, Incident, OutboundMessage
from app.seed import DEMO_MSISDN
from tests.backoffice_helpers import add_contact, payload
from tests.console_helpers import make_admins, post, signed_in
from workers.reports import file_report

POSKO = "+6281250000001"


@pytest.fixture
def filed(demo: Flask) -> str:
    """A disaster report from Siti (Samarinda, the demo number); its reference."""
    make_admins()
    add_contact(POSKO, "6472")
    return str(file_report(payload(key="flood-c1", report_type="bencana"))["ref"])


def client_of(app: Flask, username: str) -> FlaskClient:
    return signed_in(app.test_client(), username)


def to_reporter() -> list[str]:
    rows = db.session.scalars(select(OutboundMessage.text).where(OutboundMessage.to == DEMO_MSISDN))
    return [t for t in rows if "Crisis Center" in t]


def incident(ref: str) -> Incident:
    found = db.session.scalar(select(Incident).where(Incident.ref == ref))
    assert found is not None
    db.session.refresh(found)
    return found


def test_the_board_lists_open_incidents_for_province_and_own_regency(demo: Flask, filed: str) -> None:
    for name in ("prov", "smd", "lihat"):
        page = client_of(demo, name).get("/console/crisis").get_data(as_text=True)
        assert filed in page and "Banjir" in page and "Siti Rahmawati" in page and "Segera (kritis)" in page
        assert 'hx-trigger="every 3s"' in page
    rows = client_of(demo, "bpn").get("/console/crisis/rows").get_data(as_text=True)
    assert filed not in rows and "Tidak ada insiden terbuka" in rows
    assert client_of(demo, "bpn").get(f"/console/crisis/{filed}").status_code == 404


def test_acknowledge_tells_the_reporter_once_and_is_audited(demo: Flask, filed: str) -> None:
    smd = client_of(demo, "smd")
    page = f"/console/crisis/{filed}"
    assert post(smd, f"{page}/acknowledge", page=page).status_code == 302
    assert post(smd, f"{page}/acknowledge", page=page).status_code == 302
    assert "sudah dikonfirmasi sebelumnya" in smd.get(page).get_data(as_text=True)
    assert len(to_reporter()) == 1 and filed in to_reporter()[0]
    assert incident(filed).acknowledged_by == "admin:smd"
    # The SMS path is the same service: it finds the incident acknowledged, and texts nobody again.
    assert "sudah dikonfirmasi" in sms_acknowledge(POSKO, filed)
    assert len(to_reporter()) == 1
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == filed)).all()
    assert actions.count("incident.acknowledge") == 1


def test_sms_ok_acknowledges_and_tells_the_reporter(demo: Flask, filed: str) -> None:
    assert "Terima kasih" in sms_acknowledge(POSKO, filed)
    assert len(to_reporter()) == 1
    board = client_of(demo, "prov").get("/console/crisis/rows").get_data(as_text=True)
    assert "Dikonfirmasi" in board


def test_assign_note_and_close_with_an_outcome(demo: Flask, filed: str) -> None:
    prov = client_of(demo, "prov")
    page = f"/console/crisis/{filed}"
    post(prov, f"{page}/assign", {"assigned_to": "Tim SAR Samarinda"}, page=page)
    post(prov, f"{page}/note", {"note": "Perahu karet dikirim"}, page=page)
    assert post(prov, f"{page}/close", {"outcome": "nonsense"}, page=page).status_code == 422
    post(prov, f"{page}/close", {"outcome": "tertangani", "note": "warga dievakuasi"}, page=page)
    post(prov, f"{page}/close", {"outcome": "tertangani"}, page=page)
    found = incident(filed)
    assert found.assigned_to == "Tim SAR Samarinda" and found.closed_at is not None
    assert found.outcome == "Sudah ditangani (warga dievakuasi)"
    texts = to_reporter()
    assert len(texts) == 2 and any("ditutup" in t and "warga dievakuasi" in t for t in texts)  # ack + close
    detail = prov.get(page).get_data(as_text=True)
    assert "Perahu karet dikirim" in detail and "Tim SAR Samarinda" in detail
    assert filed not in prov.get("/console/crisis/rows").get_data(as_text=True)  # closed: off the board


def test_viewers_and_other_regencies_cannot_act(demo: Flask, filed: str) -> None:
    page = f"/console/crisis/{filed}"
    assert post(client_of(demo, "lihat"), f"{page}/acknowledge", page=page).status_code == 403
    bpn = client_of(demo, "bpn")
    assert post(bpn, f"{page}/acknowledge", page="/console/crisis").status_code == 404
    assert post(bpn, f"{page}/close", {"outcome": "palsu"}, page="/console/crisis").status_code == 404
    assert incident(filed).acknowledged_at is None and to_reporter() == []


def test_contacts_are_edited_on_the_board_within_the_regency(demo: Flask, filed: str) -> None:
    smd = client_of(demo, "smd")
    added = post(
        smd, "/console/crisis/contacts", {"regency": "6472", "name": "BPBD Samarinda", "msisdn": "0812 5000 0002"}
    )
    assert added.status_code == 302
    assert (
        post(smd, "/console/crisis/contacts", {"regency": "", "name": "x", "msisdn": "081250000003"}).status_code == 404
    )
    assert (
        post(smd, "/console/crisis/contacts", {"regency": "6472", "name": "x", "msisdn": "0541 123"}).status_code == 422
    )
    contact = db.session.scalar(select(CrisisContact).where(CrisisContact.msisdn == "+6281250000002"))
    assert contact is not None and contact.regency_code == "6472"
    province = add_contact("+6281250000009", None)
    assert post(smd, f"/console/crisis/contacts/{province.id}/remove").status_code == 404
    assert post(client_of(demo, "prov"), f"/console/crisis/contacts/{province.id}/remove").status_code == 302
    assert db.session.get(CrisisContact, province.id) is None
    page = smd.get("/console/crisis").get_data(as_text=True)
    assert "BPBD Samarinda" in page and "Urutan peringatan" in page


def test_nonsense_addresses_are_404_not_500(demo: Flask, filed: str) -> None:
    prov = client_of(demo, "prov")
    assert post(prov, "/console/crisis/contacts/99999999999999999999/remove").status_code == 404
    assert prov.get("/console/crisis/%27%3B--").status_code == 404
    assert prov.get("/console/reports/" + "9" * 300).status_code == 404
