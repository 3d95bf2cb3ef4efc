"""A regency admin walks every GET of the API, after numbers were rebound and a handset moved,
and finds nothing of another regency in any field of any answer (invariant 6)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.backoffice.crisis import escalate_overdue, send_alert
from app.extensions import db
from app.models import Admin, Incident, Official, OutboundMessage, ReportRecord
from app.registry import service
from app.registry.audit import CLI
from bench.registry_data import imei, msisdn, nip
from tests.backoffice_helpers import add_contact, payload
from tests.registry_helpers import add, bearer, make_tokens
from tests.sms_helpers import text_in
from workers.reports import file_report

MINE, THEIRS = "6472", "6471"  # Samarinda's admin looks; Balikpapan's data must stay out of sight


def build_history(app: Flask) -> tuple[dict[str, str], list[str]]:
    """Both regencies' handsets, messages and reports; then a number rebound and a handset moved.

    Returns the tokens and the strings that belong to the other regency only.
    """
    tokens = make_tokens()
    for n in (1, 2, 3):
        add(n, MINE)
    for n in (11, 12, 13, 14):
        add(n, THEIRS)
    text_in(app, msisdn(11), "RAHASIA-B11 halo")
    text_in(app, msisdn(13), "RAHASIA-B13 halo")
    [reply] = text_in(app, msisdn(12), "LAPOR HARGA: RAHASIA-B12 cabai naik")
    their_ref = reply.split("No. ref: ")[1].split(".")[0]
    # The other regency retires handset 11; its number goes to a new handset of mine.
    service.retire(CLI, imei(11))
    add(21, MINE, number=msisdn(11))
    # The province moves handset 13 (with its SIM) to my regency, without its official.
    service.update_handset(CLI, imei(13), regency=MINE)
    text_in(app, msisdn(11), "INFO")  # now my official's message
    text_in(app, msisdn(13), "INFO")
    theirs = ["RAHASIA-B11", "RAHASIA-B12", "RAHASIA-B13", their_ref]
    for n in (11, 12, 13, 14):
        theirs += [f"Petugas {n}", nip(n)]
    theirs += [imei(11), imei(12), imei(14), msisdn(12), msisdn(14)]
    return tokens, theirs


def path_values() -> dict[str, list[str]]:
    """Every value to try for each path parameter: mine and theirs alike."""
    return {
        "imei": [imei(n) for n in (1, 2, 3, 11, 12, 13, 14, 21)],
        "official_id": [str(i) for i in db.session.scalars(select(Official.id))],
        "ref": list(db.session.scalars(select(ReportRecord.ref))),
        "admin_id": [str(i) for i in db.session.scalars(select(Admin.id))],
        "broadcast_id": ["1"],
        "import_id": ["nope"],
    }


def urls(client: FlaskClient) -> list[str]:
    """Every GET path of the OpenAPI document, once per parameter value, plus filtered lists."""
    values = path_values()
    found = []
    for path, operations in client.get("/api/openapi.json").get_json()["paths"].items():
        if "get" not in operations:
            continue
        expanded = [path]
        for name, options in values.items():
            if "{" + name + "}" in path:
                expanded = [p.replace("{" + name + "}", option) for p in expanded for option in options]
        assert all("{" not in p for p in expanded), f"no values for {path}"
        found += expanded
        if "{" not in path:
            found += [f"{path}?regency={THEIRS}", f"{path}?msisdn={msisdn(11)}", f"{path}?per_page=500"]
    return found


def regency_fields(value: Any) -> list[str]:
    """Every value of a regency_code field anywhere in a JSON answer."""
    if isinstance(value, dict):
        own = [value["regency_code"]] if "regency_code" in value else []
        return own + [code for v in value.values() for code in regency_fields(v)]
    if isinstance(value, list):
        return [code for v in value for code in regency_fields(v)]
    return []


def test_a_regency_admin_sees_nothing_of_another_regency_anywhere(seeded: Flask) -> None:
    tokens, theirs = build_history(seeded)
    client = seeded.test_client()
    mine = bearer(tokens["samarinda"])
    walked = 0
    for url in urls(client):
        response = client.get(url, headers=mine)
        assert response.status_code in (200, 403, 404, 422), (url, response.status_code)
        text = response.get_data(as_text=True)
        for marker in theirs:
            assert marker not in text, (url, marker)
        if response.is_json:
            assert set(regency_fields(response.get_json())) <= {MINE, None}, url
        walked += response.status_code == 200
    assert walked > 20
    # And the walk was not vacuous: the province sees what Samarinda must not.
    everything = json.dumps(client.get("/api/v1/messages?per_page=500", headers=bearer(tokens["province"])).get_json())
    assert "RAHASIA-B11" in everything and "RAHASIA-B13" in everything


def test_a_moved_handset_shows_neither_its_former_official_nor_its_messages(seeded: Flask) -> None:
    tokens, _ = build_history(seeded)
    client = seeded.test_client()
    handset = client.get(f"/api/v1/handsets/{imei(13)}", headers=bearer(tokens["samarinda"])).get_json()
    assert handset["regency_code"] == MINE and handset["official"] is None
    messages = client.get(f"/api/v1/messages?msisdn={msisdn(13)}", headers=bearer(tokens["samarinda"])).get_json()
    assert [m["text"] for m in messages["items"] if m["direction"] == "in"] == ["INFO"]
    theirs = client.get(f"/api/v1/messages?msisdn={msisdn(13)}", headers=bearer(tokens["balikpapan"])).get_json()
    assert any("RAHASIA-B13" in m["text"] for m in theirs["items"])
    assert all("INFO" != m["text"] for m in theirs["items"])


def test_a_crisis_alert_to_a_number_on_my_handset_stays_the_incidents_regency(seeded: Flask) -> None:
    """Their incident's alert and escalation texted to numbers on my handsets are still theirs."""
    tokens, _ = build_history(seeded)
    add_contact(msisdn(2), THEIRS)  # their posko's number is on my official's handset
    add_contact(msisdn(3), None, name="Pusdalops")  # and the province's on another of mine
    ref = file_report(payload(nip=nip(14), key="flood-b14", report_type="bencana"))["ref"]
    incident = db.session.scalars(select(Incident).where(Incident.ref == ref)).one()
    assert send_alert(incident.id) == 2
    assert escalate_overdue(incident.created_at + timedelta(hours=1), after=60) == [ref]
    crisis = db.session.scalars(select(OutboundMessage).where(OutboundMessage.kind == "crisis")).all()
    assert len(crisis) == 3 and {m.regency_code for m in crisis} == {THEIRS}
    client = seeded.test_client()
    mine = client.get("/api/v1/messages?per_page=500", headers=bearer(tokens["samarinda"])).get_data(as_text=True)
    assert ref not in mine
    theirs = client.get("/api/v1/messages?per_page=500", headers=bearer(tokens["balikpapan"])).get_data(as_text=True)
    assert ref in theirs
