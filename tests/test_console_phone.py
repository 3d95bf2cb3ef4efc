"""Console phone: dial *818# through the signed-in route, walk the real USSD engine, hang up;
simulated sessions are audited and recorded as such; other regencies' numbers are 404."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, UssdSessionEnd
from app.seed import DEMO_MSISDN, DEMO_PIN
from tests.console_helpers import csrf_token, make_admins, signed_in
from tests.registry_helpers import add


def hop(client: FlaskClient, url: str, data: dict[str, str] | None = None) -> tuple[int, dict[str, object]]:
    token = csrf_token(client, "/console/phone")
    response = client.post(url, data=data or {}, headers={"X-CSRFToken": token})
    return response.status_code, response.get_json() or {}


def test_dial_walk_the_menu_and_hang_up(demo: Flask) -> None:
    make_admins("smd")
    smd = signed_in(demo.test_client(), "smd")
    page = smd.get("/console/phone").get_data(as_text=True)
    assert DEMO_MSISDN in page and "*818#" in page
    status, screen = hop(smd, "/console/phone/dial", {"msisdn": "0813 5000 0001"})
    assert status == 200 and screen["screen"] == "CON " + str(screen["screen"])[4:] and "PIN" in str(screen["screen"])
    assert screen["chars"] == len(str(screen["screen"])) and screen["end"] is False
    _, main = hop(smd, "/console/phone/hop", {"text": DEMO_PIN})
    assert "1 Kirim laporan" in str(main["screen"])
    _, forms = hop(smd, "/console/phone/hop", {"text": f"{DEMO_PIN}*1"})
    assert "Bencana/Darurat" in str(forms["screen"])
    _, done = hop(smd, "/console/phone/hangup")
    assert done == {"end": True}
    [ended] = db.session.scalars(select(UssdSessionEnd)).all()
    assert ended.simulated and ended.msisdn == DEMO_MSISDN and ended.status == "Incomplete" and ended.hops == 3
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "ussd.simulate"))
    assert event is not None and event.actor == "admin:smd" and event.after and event.after["simulated"] is True
    assert event.after["session"] == ended.session_id
    assert hop(smd, "/console/phone/hop", {"text": "1"})[0] == 409  # hung up: nothing to continue


def test_an_end_screen_records_the_session_once(demo: Flask) -> None:
    make_admins("prov")
    prov = signed_in(demo.test_client(), "prov")
    hop(prov, "/console/phone/dial", {"msisdn": DEMO_MSISDN})
    hop(prov, "/console/phone/hop", {"text": DEMO_PIN})
    answers = [DEMO_PIN]
    for _ in range(3):  # three bad answers end the session
        answers.append("77")
        _, end = hop(prov, "/console/phone/hop", {"text": "*".join(answers)})
    assert end["end"] is True and str(end["screen"]).startswith("END ")
    hop(prov, "/console/phone/hangup")
    assert [e.status for e in db.session.scalars(select(UssdSessionEnd))] == ["Success"]


def test_numbers_outside_the_regency_and_viewers_are_refused(demo: Flask) -> None:
    make_admins()
    balikpapan = add(4, regency="6471").handset.msisdn
    smd = signed_in(demo.test_client(), "smd")
    assert str(balikpapan) not in smd.get("/console/phone").get_data(as_text=True)
    status, refused = hop(smd, "/console/phone/dial", {"msisdn": str(balikpapan)})
    assert status == 404 and refused["end"] is True and "tidak ditemukan" in str(refused["screen"])
    assert hop(smd, "/console/phone/dial", {"msisdn": "halo"})[0] == 422
    assert signed_in(demo.test_client(), "lihat").get("/console/phone").status_code == 403
    no_token = smd.post("/console/phone/dial", data={"msisdn": DEMO_MSISDN})
    assert no_token.status_code == 400  # CSRF
    assert db.session.scalars(select(UssdSessionEnd)).all() == []
