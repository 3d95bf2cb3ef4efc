"""Handling inbound SMS: the `inbound_message` table is the queue.

A worker claims a batch of `received` rows with one conditional UPDATE (PostgreSQL:
`FOR UPDATE SKIP LOCKED`, so two workers never take the same row; SQLite: one writer at a
time), setting a lease and counting the attempt. Each row is then handled in a transaction
of its own: the command runs, the reply row is written already claimed (`sending`), and
the row leaves `received` only if it is still this worker's attempt. The reply is sent
after that commit and what the gateway answered is committed at once, so a delivery report
finds it. A worker that dies leaves its rows leased: any worker takes them again once the
lease (SMS_LEASE_SECONDS) expires; the job's timeout is half the lease, so by then the first
worker is gone.
A handling that raises is tried again with backoff, and given up after MAX_ATTEMPTS.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from rq.timeouts import JobTimeoutException
from sqlalchemy import or_, select, update

from app.database import begin_write, rollback_quietly
from app.extensions import db
from app.models import InboundMessage
from app.models.base import utcnow
from app.models.message import InboundStatus
from app.sms import secrets
from app.sms.commands.dispatch import Outcome, decide
from app.sms.inbound import wake
from app.sms.outbox import add_claimed, enqueue_send
from app.sms.sending import Claimed, send_claimed

log = logging.getLogger(__name__)
BATCH = 10  # rows claimed at once: a few, so that several workers share a burst
RETRY_AFTER = (5, 30, 120, 300, 600)  # seconds before a failed handling is tried again
MAX_ATTEMPTS = 10  # then the message is `failed` for an operator (about 40 minutes of tries)
RECEIVED = InboundStatus.RECEIVED


def lease() -> timedelta:
    return timedelta(seconds=int(current_app.config["SMS_LEASE_SECONDS"]))


@dataclass(frozen=True)
class Waiting:
    """A claimed inbound row: whose attempt it is, and what the sender wrote."""

    id: int
    sender: str
    text: str
    secret: str | None
    attempts: int


def handle_batch() -> int:
    """Claim up to BATCH waiting messages and handle each; how many were claimed.

    A full batch first wakes another job, so a backlog keeps every worker busy without one
    job holding a worker (and the more urgent queues behind it) for long.
    """
    batch = claim_waiting(BATCH)
    if len(batch) == BATCH:
        wake()
    remaining = list(batch)
    try:
        while remaining:
            handle_one(remaining[0])
            remaining.pop(0)
    finally:
        release(remaining)
    return len(batch)


def claim_waiting(limit: int) -> list[Waiting]:
    """Lease up to `limit` rows that wait (never leased, or lease expired), oldest first."""
    now = utcnow()
    ids = (
        select(InboundMessage.id)
        .where(InboundMessage.status == RECEIVED)
        .where(or_(InboundMessage.lease_until.is_(None), InboundMessage.lease_until < now))
        .order_by(InboundMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite has no FOR UPDATE (one writer)
    )
    stmt = (
        update(InboundMessage)
        .where(InboundMessage.id.in_(ids.scalar_subquery()))
        .values(lease_until=now + lease(), attempts=InboundMessage.attempts + 1)
        .returning(
            InboundMessage.id,
            InboundMessage.sender,
            InboundMessage.text,
            InboundMessage.secret,
            InboundMessage.attempts,
        )
        .execution_options(synchronize_session=False)
    )
    begin_write()
    rows = [Waiting(*row) for row in db.session.execute(stmt).all()]
    db.session.commit()
    return sorted(rows, key=lambda row: row.id)


def handle_one(waiting: Waiting) -> None:
    """Handle one claimed message and send its reply; a failure is retried later."""
    try:
        reply = handle(waiting)
    except JobTimeoutException:
        raise
    except Exception as exc:
        rollback_quietly()
        log.exception("sms inbound: handling failed", extra={"inbound_id": waiting.id})
        retry_later(waiting, exc)
        return
    if reply is not None:
        send_reply(reply)


def handle(waiting: Waiting) -> Claimed | None:
    """Run the command; commit the reply row with the message's new status; the reply to send.

    Only this attempt may move the row from `received` (the UPDATE checks both), so a
    worker whose lease was taken over rolls back instead of replying twice.
    """
    begin_write()  # SQLite: the command reads, then the reply is written; take the lock first
    outcome = decide_for(waiting)
    reply = add_claimed(waiting.sender, outcome.reply, official_id=outcome.official_id) if outcome.reply else None
    done = db.session.execute(
        update(InboundMessage)
        .where(InboundMessage.id == waiting.id, InboundMessage.status == RECEIVED)
        .where(InboundMessage.attempts == waiting.attempts)
        .values(status=outcome.status, note=outcome.note[:200], handled_at=utcnow(), lease_until=None, secret=None)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        log.warning("sms inbound: lease lost, left to its new holder", extra={"inbound_id": waiting.id})
        return None
    db.session.commit()
    return reply


def decide_for(waiting: Waiting) -> Outcome:
    """The command's outcome, on the original text when it was sealed (app.sms.secrets)."""
    body = waiting.text
    if waiting.secret is not None:
        try:
            body = secrets.unseal(waiting.secret)
        except secrets.InvalidToken:
            log.error("sms inbound: sealed text unreadable (SECRET_KEY changed?)", extra={"inbound_id": waiting.id})
            return Outcome(InboundStatus.IGNORED, "sealed text unreadable: not handled")
    return decide(waiting.id, waiting.sender, body)


def send_reply(reply: Claimed) -> None:
    """Send the committed reply now and commit what the gateway answered; retry it in a job if refused."""
    try:
        retried = send_claimed([reply])
    except Exception as exc:  # the row stays `sending`: the outbox sweep fails it as "outcome unknown"
        rollback_quietly()
        log.error("sms reply: outcome not written", extra={"outbound_id": reply.id, "error": type(exc).__name__})
        return
    if retried:
        log.info("sms reply: gateway did not take it yet; send job enqueued", extra={"outbound_id": reply.id})
        try:
            enqueue_send(reply.id)
        except Exception:  # Redis gone: the row is `queued` and the outbox sweep sends it
            log.warning("sms reply: enqueue failed", extra={"outbound_id": reply.id})


def retry_later(waiting: Waiting, exc: Exception) -> None:
    """Back off before the next attempt, or give the message up after MAX_ATTEMPTS.

    If even this fails (the database is gone), the lease expires and the row is taken again.
    """
    mine = (
        InboundMessage.id == waiting.id,
        InboundMessage.status == RECEIVED,
        InboundMessage.attempts == waiting.attempts,
    )
    if waiting.attempts >= MAX_ATTEMPTS:
        note = f"gave up after {waiting.attempts} tries: {type(exc).__name__}"
        values: dict[str, object] = {"status": InboundStatus.FAILED, "note": note[:200], "secret": None}
        values |= {"lease_until": None, "handled_at": utcnow()}
    else:
        delay = RETRY_AFTER[min(waiting.attempts, len(RETRY_AFTER)) - 1]
        values = {"lease_until": utcnow() + timedelta(seconds=delay), "note": f"try {waiting.attempts} failed"}
    try:
        db.session.execute(update(InboundMessage).where(*mine).values(values))
        db.session.commit()
    except Exception as err:
        rollback_quietly()
        log.warning("sms inbound: retry not scheduled", extra={"inbound_id": waiting.id, "error": type(err).__name__})


def release(rows: list[Waiting]) -> None:
    """Give claimed rows not handled (the job is ending early) back at once, best effort."""
    if not rows:
        return
    rollback_quietly()
    try:
        for row in rows:
            db.session.execute(
                update(InboundMessage)
                .where(InboundMessage.id == row.id, InboundMessage.status == RECEIVED)
                .where(InboundMessage.attempts == row.attempts)
                .values(lease_until=None)
            )
        db.session.commit()
    except Exception as exc:  # their leases expire instead
        rollback_quietly()
        log.warning("sms inbound: rows not released", extra={"rows": len(rows), "error": type(exc).__name__})
