"""SMS jobs: handle one inbound message (command + reply in one job); send one outbox row."""

from __future__ import annotations

import logging

from sqlalchemy import update

from app.extensions import db
from app.models import InboundMessage
from app.models.base import utcnow
from app.models.message import RECEIVED
from app.sms.outbox import enqueue_send, queue_sms
from app.sms.sending import send_rows
from workers.sms_commands import decide

log = logging.getLogger(__name__)


def handle_inbound(inbound_id: int) -> str:
    """Run the message's command and queue the reply, in one transaction with its new status.

    The status changes only from `received`, checked by the UPDATE itself, so a second run
    of this job (a retry, the sweeper) rolls back instead of replying twice. The reply is
    sent from this job too: one job per message in the normal case.
    """
    message = db.session.get(InboundMessage, inbound_id)
    if message is None or message.status != RECEIVED:
        return f"inbound {inbound_id}: nothing to do"
    outcome = decide(message.id, message.sender, message.text)
    reply = None
    if outcome.reply:
        reply = queue_sms(message.sender, outcome.reply, official_id=outcome.official_id, enqueue_job=False)
    done = db.session.execute(
        update(InboundMessage)
        .where(InboundMessage.id == inbound_id, InboundMessage.status == RECEIVED)
        .values(status=outcome.status, note=outcome.note[:200], handled_at=utcnow())
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return f"inbound {inbound_id}: handled elsewhere"
    db.session.commit()
    if reply is not None:
        send_reply_now(reply.id)
    return f"inbound {inbound_id}: {outcome.note}"


def send_reply_now(outbound_id: int) -> None:
    """Send the committed reply in this job; on any failure hand it to a send job (retries)."""
    try:
        send_rows([outbound_id])
    except Exception as exc:  # SendLater, or the database/gateway failing mid-way
        log.warning("sms reply: inline send failed, enqueueing", extra={"outbound_id": outbound_id, "error": repr(exc)})
        db.session.rollback()
        try:
            enqueue_send(outbound_id)
        except Exception:  # Redis gone too: the row stays queued and the outbox sweeper sends it
            log.warning("sms reply: enqueue failed", extra={"outbound_id": outbound_id})


def send_outbound(outbound_id: int) -> str:
    """Send one outbox row once; gateway 5xx and network errors raise so RQ retries with backoff."""
    sent = send_rows([outbound_id])
    return f"outbound {outbound_id}: {'handled' if sent else 'nothing to do'}"
