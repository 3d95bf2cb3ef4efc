"""The Kannel gateway against a fake smsbox `sendsms` (tests/fake_kannel.py): fields, retries, refusals."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from flask import Flask
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from app.extensions import db
from app.gateways import kannel
from app.models import OutboundMessage
from app.queues import SMS, get_queue
from app.sms.broadcasts import counts, create_broadcast
from app.sms.outbox import queue_sms
from app.sms.sending import SendLater
from tests.fake_kannel import FakeSendsms, Step, running_fake
from tests.helpers import run_worker_burst
from workers.broadcasts import send_broadcast
from workers.sms import send_outbound

TO = "+6281350000001"
CALLBACK = "https://melek.example.go.id"


@pytest.fixture
def fake_kannel() -> Iterator[FakeSendsms]:
    yield from running_fake()


@pytest.fixture
def kannel_app(app: Flask, fake_kannel: FakeSendsms) -> Flask:
    """`app` sending through the Kannel gateway to the fake smsbox."""
    app.config.update(SMS_GATEWAY="kannel", KANNEL_SENDSMS_URL=fake_kannel.url, KANNEL_USERNAME="melek")
    app.config.update(KANNEL_PASSWORD="pw-test", KANNEL_CALLBACK_URL=CALLBACK, WEBHOOK_TOKEN="tok-123")
    app.extensions.pop("sms_gateway", None)
    return app


def queued(text: str = "Laporan diterima. Ref 12345678", to: str = TO) -> int:
    message = queue_sms(to, text)
    db.session.commit()
    return message.id


def row(outbound_id: int) -> OutboundMessage:
    found = db.session.get(OutboundMessage, outbound_id)
    assert found is not None
    db.session.refresh(found)
    return found


def test_a_reply_goes_out_with_its_own_dlr_url(kannel_app: Flask, fake_kannel: FakeSendsms) -> None:
    outbound_id = queued()
    assert run_worker_burst(kannel_app) is True
    [request] = fake_kannel.requests
    assert request["_path"] == "/cgi-bin/sendsms"
    assert (request["username"], request["password"], request["to"]) == ("melek", "pw-test", "6281350000001")
    assert request["text"] == "Laporan diterima. Ref 12345678" and request["charset"] == "UTF-8"
    assert "coding" not in request and "smsc" not in request and request["dlr-mask"] == "31"
    dlr = urlsplit(request["dlr-url"])
    assert f"{dlr.scheme}://{dlr.netloc}{dlr.path}" == CALLBACK + "/sms/kannel/delivery"
    assert dlr.query == f"id={outbound_id}&status=%d&answer=%A&token=tok-123"  # Kannel expands %d and %A
    sent = row(outbound_id)
    assert (sent.status, sent.attempts, sent.failure_reason, sent.gateway_message_id) == ("sent", 1, None, None)


def test_the_smsc_id_is_passed_when_configured(kannel_app: Flask, fake_kannel: FakeSendsms) -> None:
    kannel_app.config["KANNEL_SMSC"] = "telkomsel"
    send_outbound(queued())
    assert fake_kannel.requests[0]["smsc"] == "telkomsel"


def test_a_text_outside_gsm7_goes_as_ucs2(fake_kannel: FakeSendsms) -> None:
    gateway = kannel.KannelGateway(fake_kannel.url, "melek", "pw")
    [result] = gateway.send("Banjir ✓ 日本", [TO])
    assert result.outcome == "accepted"
    request = fake_kannel.requests[0]
    assert (request["coding"], request["charset"], request["text"]) == ("2", "UTF-8", "Banjir ✓ 日本")
    assert "dlr-url" not in request  # no row id, no report to ask for
    gateway.send("Harga naik 10% – é €", [TO])  # é and € are GSM-7; the dash would not be
    assert fake_kannel.requests[1]["coding"] == "2"
    gateway.send("Harga naik 10% é €", [TO])
    assert "coding" not in fake_kannel.requests[2]
    gateway.close()


@pytest.mark.parametrize("body", ["3: Queued for later delivery", "Sent."])  # Sent.: immediate-sendsms-reply
def test_queued_for_later_delivery_counts_as_sent(kannel_app: Flask, fake_kannel: FakeSendsms, body: str) -> None:
    fake_kannel.script = [Step(body=body)]
    outbound_id = queued()
    send_outbound(outbound_id)
    send_outbound(outbound_id)
    assert (row(outbound_id).status, row(outbound_id).failure_reason) == ("sent", None)
    assert len(fake_kannel.requests) == 1


def test_a_503_is_retried_with_backoff_and_sent_once(kannel_app: Flask, fake_kannel: FakeSendsms) -> None:
    fake_kannel.script = [Step(status=503, body="4: Temporal failure, try again later.")]
    outbound_id = queued()
    run_worker_burst(kannel_app)
    waiting = row(outbound_id)
    assert (waiting.status, waiting.attempts) == ("queued", 1)
    assert waiting.failure_reason == "503 4: Temporal failure, try again later."
    assert f"sms-out-{outbound_id}" in ScheduledJobRegistry(queue=get_queue(SMS)).get_job_ids()
    send_outbound(outbound_id)
    send_outbound(outbound_id)
    assert (row(outbound_id).status, row(outbound_id).attempts) == ("sent", 2)
    assert fake_kannel.numbers_sent() == ["6281350000001", "6281350000001"]


@pytest.mark.parametrize(
    "step",
    [Step(status=403, body="Authorization failed for sendsms"), Step(status=400, body="Missing receiver number")],
    ids=["403", "400"],
)
def test_a_refusal_fails_the_row_and_is_never_retried(kannel_app: Flask, fake_kannel: FakeSendsms, step: Step) -> None:
    fake_kannel.script = [step]
    outbound_id = queued()
    run_worker_burst(kannel_app)
    failed = row(outbound_id)
    assert (failed.status, failed.failure_reason) == ("failed", f"{step.status} {step.body}")
    assert ScheduledJobRegistry(queue=get_queue(SMS)).get_job_ids() == []
    send_outbound(outbound_id)
    assert len(fake_kannel.requests) == 1


def test_a_dropped_connection_is_retried(kannel_app: Flask, fake_kannel: FakeSendsms) -> None:
    fake_kannel.script = [Step(drop=True)]
    outbound_id = queued()
    with pytest.raises(SendLater):
        send_outbound(outbound_id)
    assert row(outbound_id).status == "queued"
    send_outbound(outbound_id)
    assert row(outbound_id).status == "sent" and len(fake_kannel.requests) == 2


def test_a_closed_port_is_retried(kannel_app: Flask) -> None:
    kannel_app.config["KANNEL_SENDSMS_URL"] = "http://127.0.0.1:1/cgi-bin/sendsms"
    outbound_id = queued()
    with pytest.raises(SendLater):
        send_outbound(outbound_id)
    waiting = row(outbound_id)
    assert waiting.status == "queued" and "ConnectionError" in (waiting.failure_reason or "")


def test_no_answer_in_time_is_never_resent(
    kannel_app: Flask, fake_kannel: FakeSendsms, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kannel, "TIMEOUT", (1.0, 0.2))
    fake_kannel.script = [Step(delay=0.6)]
    outbound_id = queued()
    send_outbound(outbound_id)
    send_outbound(outbound_id)
    sent = row(outbound_id)
    assert sent.status == "sent" and "not resent" in (sent.failure_reason or "")
    assert len(fake_kannel.requests) == 1


def test_sends_reuse_one_kept_alive_connection(kannel_app: Flask, fake_kannel: FakeSendsms) -> None:
    send_outbound(queued())
    send_outbound(queued(to="+6281350000002"))
    assert fake_kannel.requests[0]["_client"] == fake_kannel.requests[1]["_client"]


def test_a_broadcast_sends_each_number_once_with_its_own_row_id(kannel_app: Flask, fake_kannel: FakeSendsms) -> None:
    numbers = [f"+628135000{n:04d}" for n in range(40)]
    fake_kannel.script = [Step(delay=0.2), Step(status=503, body="4: Temporal failure")]
    broadcast = create_broadcast("Rapat koordinasi Senin 09.00 WITA.", numbers=numbers, urgent=True)
    db.session.commit()
    with pytest.raises(SendLater):
        send_broadcast(broadcast.id)
    first = counts(broadcast.id)
    assert first["sent"] + first["queued"] == 40 and first["sent"] >= 1
    assert first["queued"] > 40 - 2 * kannel.CONCURRENCY  # after the 503 the numbers not yet tried wait
    send_broadcast(broadcast.id)
    assert counts(broadcast.id)["sent"] == 40
    taken = sorted(r["to"] for r in fake_kannel.requests if r["_status"] == 202)
    assert taken == sorted(n.lstrip("+") for n in numbers)  # everyone once, the 503'd one again
    rows = {r.to: r.id for r in db.session.scalars(select(OutboundMessage))}
    for request in fake_kannel.requests:
        assert f"id={rows['+' + request['to']]}&" in request["dlr-url"]
    assert len({r["_client"] for r in fake_kannel.requests}) <= 2 * kannel.CONCURRENCY  # kept alive, pooled


def test_inbound_text_decodes_by_charset_and_coding() -> None:
    ucs2 = "LAPOR banjir – “jalan”  putus".encode("utf-16-be")
    assert kannel.decode_text(ucs2, "2", "UTF-16BE") == "LAPOR banjir – “jalan”  putus"
    assert kannel.decode_text(ucs2, "2", "") == "LAPOR banjir – “jalan”  putus"
    assert kannel.decode_text("café".encode(), "0", "UTF-8") == "café"
    assert kannel.decode_text(b"caf\xe9", "1", "8-BIT") == "café"
    assert kannel.decode_text(b"INFO", "0", "base64") == "INFO"  # a codec that is not a text encoding
    assert kannel.decode_text(b"IN\x00FO", "9", "no-such-charset") == "INFO"
    assert kannel.decode_text(ucs2[:-1], "2", "UTF-16BE").startswith("LAPOR banjir")  # odd bytes: no crash
