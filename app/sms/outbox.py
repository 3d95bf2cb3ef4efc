"""The transactional outbox: an SMS is a row written with the change that causes it.

The send job is enqueued only after that transaction commits, so a rolled-back change
sends nothing; if Redis loses the job, a sweeper re-enqueues rows still `queued`.
"""

from __future__ import annotations

import logging
from typing import cast

from flask import Flask
from sqlalchemy import Table, insert

from app import after_commit, jobs
from app.extensions import db
from app.models import OutboundMessage
from app.models.base import utcnow
from app.models.message import OutboundStatus
from app.queues import CRISIS, SMS, enqueue
from app.sms import reply_budget
from app.sms.owner import owner_of
from app.sms.sending import Claimed
from menus.gsm7 import sms_parts, to_gsm7

log = logging.getLogger(__name__)
PENDING = "outbox"  # after-commit work: (outbound id, queue) of rows to send


def queue_sms(
    to: str, text: str, *, kind: str = "reply", official_id: int | None = None, regency_code: str | None = None
) -> OutboundMessage:
    """Add an outbound SMS to the current session; it is sent after the session commits.

    `regency_code`: whose message it is. A Crisis Center alert (`kind="crisis"`) belongs to
    its incident's regency even when `to` is on a handset of another; any other SMS belongs
    to the regency of the handset `to` is on, and to `regency_code` only when it is on none.
    """
    text = to_gsm7(text)
    encoding, parts = sms_parts(text)
    owner, official_id = owner_of(to, official_id)
    if kind != "crisis" or regency_code is None:
        regency_code = owner or regency_code
    message = OutboundMessage(
        to=to, text=text, encoding=encoding, parts=parts, kind=kind, official_id=official_id, regency_code=regency_code
    )
    if refused := reply_budget.refusal(to, kind):
        message.status, message.failure_reason = OutboundStatus.NOT_SENT, f"reply refused: {refused}"
    db.session.add(message)
    db.session.flush()
    if not refused:
        after_commit.add(PENDING, [(message.id, queue_for(kind))])
    return message


def add_claimed(to: str, text: str, *, kind: str = "reply", official_id: int | None = None) -> Claimed | None:
    """Insert an outbound SMS already claimed (`sending`, attempt 1), for a caller that sends it
    itself right after committing (an SMS reply, app.sms.handling). No send job is enqueued;
    app.sms.sending says what happens if that caller dies. One INSERT ... RETURNING.
    None when app.sms.reply_budget refuses the reply: the row is kept `not_sent` with the reason.
    """
    text = to_gsm7(text)
    encoding, parts = sms_parts(text)
    table = cast(Table, OutboundMessage.__table__)
    regency_code, official_id = owner_of(to, official_id)
    values = {"to": to, "text": text, "encoding": encoding, "parts": parts, "kind": kind, "official_id": official_id}
    values |= {"regency_code": regency_code}
    if refused := reply_budget.refusal(to, kind):
        values |= {"status": OutboundStatus.NOT_SENT.value, "failure_reason": f"reply refused: {refused}"}
        db.session.execute(insert(table).values(values))
        return None
    values |= {"status": OutboundStatus.SENDING.value, "attempts": 1, "claimed_at": utcnow()}
    new_id = db.session.execute(insert(table).values(values).returning(table.c.id)).scalar_one()
    return Claimed(new_id, to, text, 1)


def queue_for(kind: str) -> str:
    """Crisis Center alerts go out on the most urgent queue; every other SMS on `sms`."""
    return CRISIS if kind == "crisis" else SMS


def send_job_id(outbound_id: int) -> str:
    """Deterministic: one send job per outbox row."""
    return f"sms-out-{outbound_id}"


def enqueue_send(outbound_id: int, queue: str = SMS) -> None:
    """Enqueue the send job for a committed outbox row (by name: app/ never imports workers/)."""
    enqueue(queue, jobs.SEND_OUTBOUND, outbound_id, job_id=send_job_id(outbound_id), timeout=30)


def _enqueue_sends(pending: list[tuple[int, str]]) -> None:
    for outbound_id, queue in pending:
        try:
            enqueue_send(outbound_id, queue)
        except Exception as exc:  # Redis down: the row stays queued and the sweeper sends it
            log.warning("outbox: enqueue failed", extra={"outbound_id": outbound_id, "error": type(exc).__name__})


def init_app(app: Flask) -> None:
    """Enqueue each committed row's send job once its transaction commits."""
    del app
    after_commit.on_commit(PENDING, _enqueue_sends)
