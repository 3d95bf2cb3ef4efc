"""Filing field reports and answering status queries: the back-office jobs' logic.

Both run as jobs (`workers/reports.py`, enqueued by USSD) or inline in the SMS worker. Idempotency: the
payload's key is sent to the back office and is unique on Melek's receipt; the receipt and
the confirmation SMS commit together, so a rerun after a crash files and texts nothing new.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from rq import get_current_job
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import jobs
from app.backoffice import get_backoffice
from app.backoffice.base import NewReport, PermanentError, TransientError
from app.backoffice.crisis import open_incident
from app.backoffice.reports import CRISIS_TYPES, clean_fields, label, summary
from app.extensions import db
from app.models import Incident, Official, OutboundMessage, ReportReceipt
from app.models.base import utcnow
from app.queues import CRISIS, enqueue
from app.sms.outbox import queue_sms
from menus.gsm7 import to_gsm7
from menus.refs import normalize_reference
from menus.reports import status_label
from menus.sms.texts import text

CHANNELS = ("ussd", "sms")
STATUS_REPEAT_WINDOW = timedelta(minutes=10)


def _receipt(key: str) -> ReportReceipt | None:
    return db.session.scalar(select(ReportReceipt).where(ReportReceipt.idempotency_key == key))


def _parse(payload: Any) -> tuple[str, int, str, str, dict[str, str | int], str | None]:
    try:
        key, official_id = str(payload["idempotency_key"]), int(payload["official_id"])
        channel, report_type = str(payload.get("channel", "ussd")), str(payload["report_type"])
        fields, notify = payload.get("fields", {}), payload.get("notify_msisdn")
    except (KeyError, TypeError, ValueError) as exc:
        raise PermanentError(f"malformed report payload: {exc!r}") from None
    if not key or len(key) > 100 or channel not in CHANNELS:
        raise PermanentError("idempotency_key must be 1-100 characters and channel ussd or sms")
    return key, official_id, channel, report_type, clean_fields(report_type, fields), notify


def file_report(payload: dict[str, Any]) -> dict[str, Any]:
    """File exactly one record per idempotency key; confirm by SMS once; alert on disasters."""
    key, official_id, channel, report_type, fields, notify = _parse(payload)
    receipt = _receipt(key)
    if receipt is None:
        official = db.session.get(Official, official_id)
        if official is None:
            raise PermanentError(f"no official {official_id}")
        report = NewReport(key, report_type, official.regency_code, official_id, channel, fields)
        try:
            filed = get_backoffice().file_report(report)
        except TransientError:
            if notify and last_attempt():  # out of retries: the official must not wait forever
                language = official.language
                tell(notify, text("report_unavailable", language, label=label(report_type, language)), official_id)
            raise
        db.session.add(
            ReportReceipt(idempotency_key=key, ref=filed.ref, report_type=report_type, official_id=official_id)
        )
        if report_type in CRISIS_TYPES:
            open_incident(filed.ref, official.regency_code, official_id, fields)
        if notify:
            confirmation = text(
                "report_confirmed", official.language, label=label(report_type, official.language), ref=filed.ref
            )
            queue_sms(notify, confirmation, kind="confirmation", official_id=official_id)
        try:
            db.session.commit()
        except IntegrityError:  # another worker committed the same key first: theirs stands
            db.session.rollback()
            receipt = _receipt(key)
            if receipt is None:
                raise
        else:
            if report_type in CRISIS_TYPES:
                ensure_alerted(filed.ref)
            return {"ref": filed.ref, "report_type": report_type, "created": True}
    if receipt.report_type in CRISIS_TYPES:
        ensure_alerted(receipt.ref)  # a crash may have come between the commit and the enqueue
    return {"ref": receipt.ref, "report_type": receipt.report_type, "created": False}


def ensure_alerted(ref: str) -> None:
    """Enqueue the Crisis Center alert of a not yet alerted incident (deterministic job id)."""
    incident = db.session.scalar(select(Incident).where(Incident.ref == ref, Incident.alerted_at.is_(None)))
    if incident is not None:
        enqueue(CRISIS, jobs.ALERT_INCIDENT, incident.id, job_id=f"crisis-alert-{incident.id}", timeout=30)
        # The escalation sweep runs when this incident falls due (RQ's scheduler, in the worker).
        delay = timedelta(seconds=float(current_app.config["CRISIS_ESCALATE_AFTER"]) + 5)
        enqueue(CRISIS, jobs.ESCALATE_OVERDUE, job_id=f"crisis-escalate-{incident.id}", timeout=60, delay=delay)


def lookup_status(official_id: int, ref: str, notify_msisdn: str | None) -> dict[str, Any]:
    """The status of a record of the official's own regency; texts it when asked to."""
    official = db.session.get(Official, int(official_id))
    clean = normalize_reference(str(ref))
    language = official.language if official else "id"
    try:
        record = get_backoffice().find_record(clean) if (official and clean) else None
    except TransientError:
        if notify_msisdn and last_attempt():
            tell(notify_msisdn, text("status_unavailable", language, ref=clean), int(official_id))
        raise
    if record is None or official is None or record.regency_code != official.regency_code:
        # Another regency's record is "not found": nothing tells the caller it exists.
        answer = {"found": False, "ref": clean or str(ref)[:14], "status": None, "summary": ""}
        message = text("record_not_found", language, ref=answer["ref"])
    else:
        line = summary(record.report_type, record.fields, language)
        answer = {"found": True, "ref": record.ref, "status": record.status, "summary": line}
        status = status_label(record.status, language)
        message = text("record_status", language, ref=record.ref, status=status, summary=line)[:160]
    if notify_msisdn and not _recently_sent(notify_msisdn, message):
        queue_sms(notify_msisdn, message, kind="status", official_id=official.id if official else None)
        db.session.commit()
    return answer


def last_attempt() -> bool:
    """True in the final run of the current RQ job: no retry will follow a failure."""
    job = get_current_job()
    return job is not None and not job.retries_left


def tell(to: str, message: str, official_id: int) -> None:
    """Text an apology now, before the job fails for good (it stays in the failed registry)."""
    queue_sms(to, message, kind="status", official_id=official_id)
    db.session.commit()


def _recently_sent(to: str, message: str) -> bool:
    """The same answer already went to this number lately (a rerun of this job): skip it."""
    since = utcnow() - STATUS_REPEAT_WINDOW
    query = select(OutboundMessage.text).where(
        OutboundMessage.to == to, OutboundMessage.kind == "status", OutboundMessage.created_at >= since
    )
    return to_gsm7(message) in db.session.scalars(query).all()
