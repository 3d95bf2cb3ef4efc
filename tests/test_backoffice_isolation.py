"""An official cannot read another regency's record: not through USSD, SMS or the API.

The record exists (filed by an official of Kutai Kartanegara); the Samarinda official who
types its reference is told "not found", exactly as for a reference that does not exist.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import OutboundMessage
from tests.backoffice_helpers import BUDI_NIP, SITI_NIP, payload
from tests.helpers import run_worker_burst
from tests.registry_helpers import bearer, make_tokens
from tests.ussd_client import DEMO_MSISDN, GatewaySession
from workers.reports import file_report, lookup_status


def kukar_record() -> str:
    return str(file_report(payload(BUDI_NIP, key="kukar-1", notify_msisdn=None))["ref"])


def test_ussd_status_of_another_regencys_record_is_not_found(demo: Flask) -> None:
    demo.config["USSD_WAIT_FOR_RESULT"] = 0.05
    ref = kukar_record()
    own = str(file_report(payload(SITI_NIP, key="smd-1", notify_msisdn=None))["ref"])
    s = GatewaySession(demo.test_client(), session_id="ATUid_iso_1")
    s.login()
    s.send("2")
    assert s.send(ref) == f"END Hasil pengecekan {ref} akan dikirim via SMS."
    run_worker_burst(demo)
    texts = db.session.scalars(select(OutboundMessage.text).where(OutboundMessage.to == DEMO_MSISDN)).all()
    assert texts == [f"Ref {ref} tidak ditemukan. Periksa nomornya."]
    # The same path finds the official's own record: the refusal is about the regency.
    assert lookup_status(payload(SITI_NIP)["official_id"], own, None)["found"] is True


def test_api_of_another_regency_is_a_404(demo: Flask) -> None:
    ref = kukar_record()
    auth = bearer(make_tokens()["samarinda"])
    response = demo.test_client().get(f"/api/v1/records/{ref}", headers=auth)
    assert response.status_code == 404
    missing = demo.test_client().get("/api/v1/records/1234567894", headers=auth)
    assert missing.get_json()["message"] == response.get_json()["message"]


def test_sms_status_of_another_regencys_record_reads_like_a_missing_one(demo: Flask) -> None:
    from tests.sms_helpers import text_in

    ref = kukar_record()
    [reply] = text_in(demo, DEMO_MSISDN, f"STATUS {ref}")
    [missing] = text_in(demo, DEMO_MSISDN, "STATUS 1234567894")
    assert reply == missing.replace("1234567894", ref)
    assert "ditemukan" in reply
