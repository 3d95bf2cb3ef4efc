"""SMS jobs: handle inbound messages (command + reply in one job, in batches); send one outbox row."""

from __future__ import annotations

import logging
import time

from rq.timeouts import JobTimeoutException
from sqlalchemy import select, update

from app.database import begin_write, rollback_quietly
from app.extensions import db
from app.models import InboundMessage
from app.models.base import utcnow
from app.models.message import QUEUED, RECEIVED
from app.sms import inbox
from app.sms.inbound import enqueue_handling
from app.sms.outbox import add_claimed, enqueue_send
from app.sms.sending import Claimed, gateway_outcomes, record_outcomes, send_rows
from menus.sms.router import redact
from workers.sms_commands import decide

log = logging.getLogger(__name__)
BATCH = 5  # ids taken at once: small, so that several workers share a short inbox
ELSEWHERE = "handled elsewhere"


class Replies:
    """Sends claimed replies; their outcomes are written with the next commit, not one of their own.

    A reply's row is committed `sending` before the gateway call (so it is never sent twice);
    what the gateway answered is written in the transaction of the next message handled, or
    by `flush`. If the worker dies in between, the row stays `sending` and the outbox sweeper
    fails it as "outcome unknown", exactly as for a worker killed during the request.
    """

    def __init__(self) -> None:
        self.unrecorded: list[dict[str, object]] = []

    def send(self, reply: Claimed) -> None:
        """Send now; a reply the gateway did not take is recorded at once and handed to a send job."""
        outcomes = gateway_outcomes([reply])
        self.unrecorded += outcomes
        if outcomes[0]["status"] != QUEUED:
            return
        self.flush()
        log.info("sms reply: gateway did not take it yet; send job enqueued", extra={"outbound_id": reply.id})
        try:
            enqueue_send(reply.id)
        except Exception:  # Redis gone: the row is queued again and the outbox sweeper sends it
            log.warning("sms reply: enqueue failed", extra={"outbound_id": reply.id})

    def write(self) -> None:
        """Write the outcomes in the current transaction; call `committed` once it commits."""
        record_outcomes(self.unrecorded)

    def committed(self) -> None:
        self.unrecorded.clear()

    def flush(self) -> None:
        """Write and commit the outcomes still unrecorded."""
        if self.unrecorded:
            self.write()
            db.session.commit()
            self.committed()


def handle_inbound(inbound_id: int) -> str:
    """Handle one message and send its reply: the job for a message outside the inbox."""
    replies = Replies()
    note, reply = handle_message(inbound_id, replies)
    if reply is not None:
        replies.send(reply)
    replies.flush()
    return note


def handle_inbox(slot: int) -> str:
    """Drain the inbox (app.sms.inbox): handle and reply to each message, BATCH ids at a time.

    Each message still gets its own transaction and its reply its own request, exactly as in
    `handle_inbound`; what a batch saves is RQ's bookkeeping per job, a SELECT per message
    and the commit of each reply's outcome (see `Replies`). A message whose handling raises
    is rolled back and handed to a job of its own, which retries with backoff. After
    DRAIN_BUDGET seconds (checked after every message), or as soon as a more urgent queue
    (crisis, ussd) has a job (checked after every batch), it hands over to a successor at the
    back of the queue, so the worker serves that first. However it ends (a timeout, Redis or
    the database failing), ids taken but not handled go back to the head of the inbox and
    the outcomes of replies sent are written if they can be.
    """
    began, handled, replies = time.monotonic(), 0, Replies()
    taken: list[int] = []
    try:
        while taken := inbox.take(slot, BATCH):
            waiting = received(taken)
            db.session.commit()  # end the read: each message's transaction begins as a writer
            while taken:
                inbound_id = taken.pop(0)
                if inbound_id in waiting:
                    handled += handle_one(inbound_id, waiting[inbound_id], replies)
                if time.monotonic() - began > inbox.DRAIN_BUDGET or (not taken and inbox.urgent_work_waiting()):
                    inbox.give_back(taken)
                    taken = []
                    replies.flush()
                    inbox.enqueue_drain(slot)  # the wake key stays set: this job's successor drains on
                    return f"inbox slot {slot}: {handled} message(s), handed over"
    except BaseException:
        rollback_quietly()  # whatever the failure left half done; outcomes go in a clean transaction
        raise
    finally:
        wind_up(taken, replies)
    return f"inbox slot {slot}: {handled} message(s)"


def handle_one(inbound_id: int, message: tuple[str, str], replies: Replies) -> int:
    """Handle one message of a drained batch and send its reply; 1 if handled here."""
    try:
        note, reply = handle_message(inbound_id, replies, message)
    except JobTimeoutException:
        raise
    except Exception:
        db.session.rollback()
        log.exception("sms inbox: handling failed; handed to its own job", extra={"inbound_id": inbound_id})
        enqueue_handling(inbound_id)
        return 0
    if reply is not None:
        replies.send(reply)
    return 0 if note.endswith(ELSEWHERE) else 1


def wind_up(taken: list[int], replies: Replies) -> None:
    """Best effort on the way out of a drain job: ids back to the inbox, sent replies recorded."""
    try:
        inbox.give_back(taken)
    except Exception as exc:  # Redis gone: they are still `received`, the sweeper finds them
        log.warning("sms inbox: ids not given back", extra={"ids": len(taken), "error": type(exc).__name__})
    try:
        replies.flush()
    except Exception as exc:  # the rows stay `sending`; the outbox sweeper fails them as unknown
        log.warning(
            "sms inbox: reply outcomes not written",
            extra={"rows": len(replies.unrecorded), "error": type(exc).__name__},
        )


def received(ids: list[int]) -> dict[int, tuple[str, str]]:
    """Sender and text of those of `ids` still waiting to be handled (one SELECT)."""
    query = select(InboundMessage.id, InboundMessage.sender, InboundMessage.text).where(
        InboundMessage.id.in_(ids), InboundMessage.status == RECEIVED
    )
    return {inbound_id: (sender, text) for inbound_id, sender, text in db.session.execute(query)}


def handle_message(
    inbound_id: int, replies: Replies, message: tuple[str, str] | None = None
) -> tuple[str, Claimed | None]:
    """Run the message's command and queue the reply, in one transaction with its new status.

    The status changes only from `received`, checked by the UPDATE itself, so a second run
    (a retry, the sweeper) rolls back instead of replying twice. The reply row commits
    already claimed (`sending`) and the caller sends it right away: one commit before the
    gateway call per message; a send job takes over only if the gateway refuses for now.
    PINs and activation codes in the text are starred out in the same commit. `message`:
    (sender, text) when the caller has read them already.
    """
    if message is None:
        message = received([inbound_id]).get(inbound_id)
        db.session.commit()  # end the read: the handling transaction begins as a writer
        if message is None:
            return f"inbound {inbound_id}: nothing to do", None
    if not inbox.claim(inbound_id):
        return f"inbound {inbound_id}: {ELSEWHERE}", None
    try:
        return _handle_claimed(inbound_id, message, replies)
    except BaseException:
        db.session.rollback()
        try:
            inbox.release(inbound_id)  # a retry (or the sweeper's job) may handle it
        except Exception as exc:  # Redis gone: the claim lapses after CLAIM_TTL
            log.warning(
                "sms inbound: claim not released", extra={"inbound_id": inbound_id, "error": type(exc).__name__}
            )
        raise


def _handle_claimed(inbound_id: int, message: tuple[str, str], replies: Replies) -> tuple[str, Claimed | None]:
    begin_write()  # SQLite: the command reads, then the reply is written; take the lock first
    sender, body = message
    outcome = decide(inbound_id, sender, body)
    reply = None
    if outcome.reply:
        reply = add_claimed(sender, outcome.reply, official_id=outcome.official_id)
    done = db.session.execute(
        update(InboundMessage)
        .where(InboundMessage.id == inbound_id, InboundMessage.status == RECEIVED)
        .values(status=outcome.status, note=outcome.note[:200], handled_at=utcnow(), text=redact(body))
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return f"inbound {inbound_id}: {ELSEWHERE}", None
    replies.write()  # the previous reply's outcome rides along with this commit
    db.session.commit()
    replies.committed()
    return f"inbound {inbound_id}: {outcome.note}", reply


def send_outbound(outbound_id: int) -> str:
    """Send one outbox row once; gateway 5xx and network errors raise so RQ retries with backoff."""
    sent = send_rows([outbound_id])
    return f"outbound {outbound_id}: {'handled' if sent else 'nothing to do'}"
