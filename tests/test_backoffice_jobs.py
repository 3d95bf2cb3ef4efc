"""workers.reports: file_report and lookup_status, through a real RQ worker and inline."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.backoffice.base import PermanentError
from app.extensions import db
from app.models import OutboundMessage, ReportReceipt, ReportRecord
from app.queues import DEFAULT, enqueue, get_queue
from menus.refs import is_valid_reference
from tests.backoffice_helpers import BUDI_NIP, MARIA_NIP, SITI_NIP, official, payload
from tests.helpers import run_worker_burst
from workers.reports import file_report, lookup_status


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_file_report_through_a_worker_files_and_confirms_once(demo: Flask) -> None:
    body = payload(key="ussd-abc-4")
    first = enqueue(DEFAULT, "workers.reports.file_report", body, job_id="report-ussd-abc-4")
    assert run_worker_burst(demo, (DEFAULT,))
    result = first.latest_result().return_value  # type: ignore[union-attr]
    assert result["created"] is True and is_valid_reference(result["ref"]) and result["report_type"] == "harga"
    # The same submission again (a repeat hop, a retry): nothing new.
    again = file_report(body)
    assert again == {"ref": result["ref"], "report_type": "harga", "created": False}
    assert count(ReportRecord) == 1 and count(ReportReceipt) == 1
    sms = db.session.scalars(select(OutboundMessage)).all()
    assert len(sms) == 1 and sms[0].to == body["notify_msisdn"] and result["ref"] in sms[0].text
    assert sms[0].text.startswith("Laporan Harga bahan pokok diterima")
    record = db.session.scalars(select(ReportRecord)).one()
    assert (record.regency_code, record.status, record.fields["harga"]) == ("6472", "diterima", 14500)


def test_confirmation_in_the_officials_language_and_none_without_number(demo: Flask) -> None:
    file_report(payload(MARIA_NIP, key="en-1"))
    file_report(payload(SITI_NIP, key="quiet-1", notify_msisdn=None))
    texts = db.session.scalars(select(OutboundMessage.text)).all()
    assert len(texts) == 1 and texts[0].startswith("Report Staple food prices received")


def test_a_bad_payload_fails_at_once_and_can_be_listed_and_retried(demo: Flask) -> None:
    body = payload(key="bad-1", report_type="gosip")
    job = enqueue(DEFAULT, "workers.reports.file_report", body, job_id="report-bad-1")
    run_worker_burst(demo, (DEFAULT,))
    job.refresh()
    assert job.get_status() == "failed"  # no retry scheduled for a permanent failure
    runner = demo.test_cli_runner()
    listed = runner.invoke(args=["jobs", "failed"])
    assert "report-bad-1" in listed.output and "PermanentError" in listed.output
    assert "unknown report type" in listed.output
    retried = runner.invoke(args=["jobs", "retry", "report-bad-1"])
    assert "Requeued 1 job(s)." in retried.output
    assert get_queue(DEFAULT).count == 1
    assert count(ReportRecord) == 0


def test_a_malformed_payload_is_a_permanent_error(demo: Flask) -> None:
    with pytest.raises(PermanentError):
        file_report({"official_id": "x"})
    with pytest.raises(PermanentError):
        file_report(payload(key="f", fields={"Bad Key": "x"}))


def test_lookup_finds_own_regency_record_and_texts_it_once(demo: Flask) -> None:
    ref = file_report(payload(key="look-1", notify_msisdn=None))["ref"]
    siti = official(SITI_NIP)
    spaced = f"{ref[:4]} {ref[4:]}"
    answer = lookup_status(siti.id, spaced, "+6281350000001")
    assert answer["found"] is True and answer["ref"] == ref and answer["status"] == "diterima"
    assert "Harga bahan pokok" in answer["summary"]
    lookup_status(siti.id, ref, "+6281350000001")  # the job rerun after a crash
    texts = db.session.scalars(select(OutboundMessage.text)).all()
    assert texts == [f"Ref {ref}: diterima. {answer['summary']}"]


def test_another_regencys_record_is_not_found(demo: Flask) -> None:
    ref = file_report(payload(SITI_NIP, key="look-2", notify_msisdn=None))["ref"]
    budi = official(BUDI_NIP)
    answer = lookup_status(budi.id, ref, "+6281350000002")
    assert answer == {"found": False, "ref": ref, "status": None, "summary": ""}
    texts = db.session.scalars(select(OutboundMessage.text)).all()
    assert texts == [f"Ref {ref} tidak ditemukan. Periksa nomornya."]


def test_a_mistyped_reference_is_not_looked_up(demo: Flask) -> None:
    ref = file_report(payload(key="look-3", notify_msisdn=None))["ref"]
    typo = ref[:-2] + ref[-1] + ref[-2] if ref[-1] != ref[-2] else ref[:-1] + str((int(ref[-1]) + 1) % 10)
    answer = lookup_status(official(SITI_NIP).id, typo, None)
    assert answer["found"] is False
    assert count(OutboundMessage) == 0


def test_an_official_is_told_when_the_back_office_stays_down(demo: Flask) -> None:
    from rq import Retry

    demo.config.update(BACKOFFICE="http", BACKOFFICE_URL="http://127.0.0.1:1", BACKOFFICE_RETRIES=0)
    siti = official(SITI_NIP)
    lookup = enqueue(
        DEFAULT,
        "workers.reports.lookup_status",
        siti.id,
        "1234567894",
        "+6281350000001",
        job_id="status-down",
        retry=Retry(max=1),
    )
    filing = enqueue(
        DEFAULT, "workers.reports.file_report", payload(key="down-1"), job_id="report-down", retry=Retry(max=1)
    )
    run_worker_burst(demo, (DEFAULT,))
    assert lookup.get_status(refresh=True) == "failed" and filing.get_status(refresh=True) == "failed"
    texts = db.session.scalars(select(OutboundMessage.text).order_by(OutboundMessage.id)).all()
    assert texts == [  # one apology each, on the last attempt only
        "Maaf, status ref 1234567894 belum dapat dicek (gangguan sistem). Coba lagi nanti: STATUS 1234567894",
        "Maaf, laporan Harga bahan pokok belum dapat dikirim (gangguan sistem). Silakan kirim ulang nanti.",
    ]
    assert count(ReportReceipt) == 0
