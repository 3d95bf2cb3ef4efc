"""SMS jobs: handle inbound messages (command + reply in one job, in batches); send one outbox row."""

from __future__ import annotations

import logging
import time

from rq.timeouts import JobTimeoutException
from sqlalchemy import update

from app.extensions import db
from app.models import InboundMessage
from app.models.base import utcnow
from app.models.message import RECEIVED
from app.sms import inbox
from app.sms.inbound import enqueue_handling
from app.sms.outbox import enqueue_send, queue_sms
from app.sms.sending import Claimed, send_claimed, send_rows
from menus.sms.router import redact
from workers.sms_commands import decide

log = logging.getLogger(__name__)
BATCH = 5  # ids taken at once: small, so that several workers share a short inbox


def handle_inbound(inbound_id: int) -> str:
    """Handle one message and send its reply: the job for a message outside the inbox."""
    note, reply = handle_message(inbound_id)
    if reply is not None:
        send_reply_now(reply)
    return note


def handle_inbox(slot: int) -> str:
    """Drain the inbox (app.sms.inbox): handle and reply to each message, BATCH ids at a time.

    Each message still gets its own transaction and its reply its own request, exactly as in
    `handle_inbound`; what a batch saves is RQ's bookkeeping per job. A message whose
    handling raises is rolled back and handed to a job of its own, which retries with backoff.
    After DRAIN_BUDGET seconds the job hands over to a fresh one, so it never nears its timeout.
    """
    began, handled = time.monotonic(), 0
    while ids := inbox.take(slot, BATCH):
        for inbound_id in ids:
            try:
                _, reply = handle_message(inbound_id)
            except JobTimeoutException:
                raise
            except Exception:
                db.session.rollback()
                log.exception("sms inbox: handling failed; handed to its own job", extra={"inbound_id": inbound_id})
                enqueue_handling(inbound_id)
                continue
            if reply is not None:
                send_reply_now(reply)
            handled += 1
        if time.monotonic() - began > inbox.DRAIN_BUDGET:
            inbox.enqueue_drain(slot)  # the slot's wake key stays set: this job's successor drains on
            break
    return f"inbox slot {slot}: {handled} message(s)"


def handle_message(inbound_id: int) -> tuple[str, Claimed | None]:
    """Run the message's command and queue the reply, in one transaction with its new status.

    The status changes only from `received`, checked by the UPDATE itself, so a second run
    (a retry, the sweeper) rolls back instead of replying twice. The reply row commits
    already claimed (`sending`) and the caller sends it right away: one job and one commit
    before the gateway call per message; a send job takes over only if the gateway refuses
    for now. PINs and activation codes in the text are starred out in the same commit.
    """
    message = db.session.get(InboundMessage, inbound_id)
    if message is None or message.status != RECEIVED:
        return f"inbound {inbound_id}: nothing to do", None
    sender, body = message.sender, message.text  # commands may commit (and expire `message`)
    outcome = decide(inbound_id, sender, body)
    reply = None
    if outcome.reply:
        row = queue_sms(sender, outcome.reply, official_id=outcome.official_id, claimed=True)
        reply = Claimed(row.id, row.to, row.text, row.attempts)
    done = db.session.execute(
        update(InboundMessage)
        .where(InboundMessage.id == inbound_id, InboundMessage.status == RECEIVED)
        .values(status=outcome.status, note=outcome.note[:200], handled_at=utcnow(), text=redact(body))
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return f"inbound {inbound_id}: handled elsewhere", None
    db.session.commit()
    return f"inbound {inbound_id}: {outcome.note}", reply


def send_reply_now(reply: Claimed) -> None:
    """Send the committed, claimed reply; if the gateway did not take it, a send job retries."""
    if not send_claimed([reply]):
        return
    log.info("sms reply: gateway did not take it yet; send job enqueued", extra={"outbound_id": reply.id})
    try:
        enqueue_send(reply.id)
    except Exception:  # Redis gone: the row is queued again and the outbox sweeper sends it
        log.warning("sms reply: enqueue failed", extra={"outbound_id": reply.id})


def send_outbound(outbound_id: int) -> str:
    """Send one outbox row once; gateway 5xx and network errors raise so RQ retries with backoff."""
    sent = send_rows([outbound_id])
    return f"outbound {outbound_id}: {'handled' if sent else 'nothing to do'}"
