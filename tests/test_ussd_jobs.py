"""USSD with the real back-office jobs: a real SimpleWorker files, looks up and texts."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import redis as redis_lib
from flask import Flask
from rq import Worker
from sqlalchemy import select

from app.extensions import db
from app.jobs import LOOKUP_STATUS
from app.models import Handset, OutboundMessage, ReportReceipt, ReportRecord
from app.queues import get_queue
from app.seed import seed_demo, seed_regencies
from app.ussd.effects import job_id
from tests.conftest import TEST_REDIS_URL
from tests.helpers import run_worker_burst
from tests.processes import child_env, kill_group, start_worker_process
from tests.ussd_client import DEMO_MSISDN, GatewaySession


def sms_to(msisdn: str) -> list[str]:
    return list(db.session.scalars(select(OutboundMessage.text).where(OutboundMessage.to == msisdn)))


def file_attendance(app: Flask, session_id: str) -> str:
    """File a report whose worker is late; then run the worker; returns the reference."""
    s = GatewaySession(app.test_client(), session_id=session_id)
    s.login()
    for inp in ("1", "4", "2"):
        s.send(inp)
    assert s.send("1") == "END Laporan diterima. Nomor referensi akan dikirim via SMS."
    s.repeat()  # the gateway retries the last hop: still one job
    assert run_worker_burst(app)
    receipts = db.session.scalars(select(ReportReceipt)).all()
    assert len(receipts) == 1
    return receipts[0].ref


def test_late_report_is_filed_once_and_its_reference_comes_by_sms(demo: Flask) -> None:
    demo.config["USSD_WAIT_FOR_RESULT"] = 0.05
    ref = file_attendance(demo, "ATUid_jobs_1")
    record = db.session.scalars(select(ReportRecord).where(ReportRecord.ref == ref)).one()
    assert record.report_type == "kehadiran" and record.fields == {"status": "lapangan"}
    texts = sms_to(DEMO_MSISDN)
    assert len(texts) == 1 and ref in texts[0]


def test_a_300_character_session_id_files_its_report(demo: Flask) -> None:
    demo.config["USSD_WAIT_FOR_RESULT"] = 0.05
    session_id = "ATUid_" + "x" * 294
    ref = file_attendance(demo, session_id)
    receipt = db.session.scalars(select(ReportReceipt).where(ReportReceipt.ref == ref)).one()
    assert len(receipt.idempotency_key) <= 100 and session_id not in receipt.idempotency_key
    assert any(ref in sms for sms in sms_to(DEMO_MSISDN))


def test_late_status_answer_comes_by_sms_once(demo: Flask) -> None:
    demo.config["USSD_WAIT_FOR_RESULT"] = 0.05
    ref = file_attendance(demo, "ATUid_jobs_1")
    s = GatewaySession(demo.test_client(), session_id="ATUid_jobs_2")
    s.login()
    s.send("2")
    assert s.send(ref) == f"END Hasil pengecekan {ref} akan dikirim via SMS."
    assert run_worker_burst(demo)
    status_texts = [t for t in sms_to(DEMO_MSISDN) if "diterima" in t.lower() and "STATUS" not in t]
    assert len(status_texts) == 1 and ref in status_texts[0]


def test_status_answer_on_screen_when_the_worker_has_answered(demo: Flask) -> None:
    """The lookup job already ran (a repeat of the same submission): the screen shows it at once."""
    demo.config["USSD_WAIT_FOR_RESULT"] = 0.05
    ref = file_attendance(demo, "ATUid_jobs_1")
    s = GatewaySession(demo.test_client(), session_id="ATUid_jobs_3")
    s.login()
    s.send("2")
    s.send(ref)  # late: enqueued the quiet job and the texting one
    assert run_worker_burst(demo)
    # A new session's first lookup gets a new job id; run its job before the hop waits for it.
    again = GatewaySession(demo.test_client(), session_id="ATUid_jobs_4")
    again.login()
    again.send("2")
    queue = get_queue("ussd")
    assert queue.count == 0
    handset = db.session.scalars(select(Handset).where(Handset.msisdn == DEMO_MSISDN)).one()
    queue.enqueue(LOOKUP_STATUS, handset.official_id, ref, None, job_id=job_id("status", again.session_id, 1))
    assert run_worker_burst(demo)
    screen = again.send(ref)
    assert screen.startswith(f"END No. {ref}: diterima\nKehadiran")


def test_a_running_worker_answers_on_screen(committed_app: Flask, tmp_path: Path) -> None:
    """A real worker process: the reference and the status appear on the phone within the wait."""
    seed_regencies()
    seed_demo()
    env = child_env(committed_app)
    worker = start_worker_process("ussd", env, tmp_path / "worker.log")
    try:
        connection = redis_lib.Redis.from_url(TEST_REDIS_URL)
        end = time.monotonic() + 20
        while not Worker.all(connection=connection) and time.monotonic() < end:
            time.sleep(0.1)
        committed_app.config["USSD_WAIT_FOR_RESULT"] = 1.9
        committed_app.config["USSD_HOP_BUDGET"] = 3.0  # a cold worker process: first job imports
        s = GatewaySession(committed_app.test_client(), session_id="ATUid_live_1")
        s.login()
        for inp in ("1", "2", "1", "15000", "Pasar Segiri"):
            s.send(inp)
        filed = s.send("1")
        assert filed.startswith("END Laporan terkirim. No. ref: "), filed
        ref = filed.split("No. ref: ")[1].split(".")[0]
        s2 = GatewaySession(committed_app.test_client(), session_id="ATUid_live_2")
        s2.login()
        s2.send("2")
        assert s2.send(ref).startswith(f"END No. {ref}: diterima\nHarga bahan pokok")
        connection.close()
    finally:
        kill_group(worker, signal.SIGTERM)
