"""Keeping an inbound SMS: stored once, redacted, then a worker is woken through RQ.

The database is the queue: a stored `received` row is work to do whoever wakes a worker
(app.sms.handling). Redis only wakes workers and counts the per-number rate limit; losing
it loses no message, because a periodic job (`workers.sms.wake_inbound`) wakes a worker,
which finds every row still waiting.
"""

from __future__ import annotations

import logging
from typing import cast

from flask import current_app
from sqlalchemy import Table, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from app import jobs
from app.database import begin_write, rollback_quietly
from app.extensions import db
from app.gateways import InboundSMS
from app.models import InboundMessage
from app.models.base import utcnow
from app.models.message import InboundStatus
from app.queues import SMS, enqueue
from app.sms import secrets
from app.sms.owner import owner_of
from app.sms.senders import within_rate_limit

log = logging.getLogger(__name__)


class NotKept(Exception):
    """The message could not be stored (the database is unreachable): answer 503, the gateway retries."""


def receive(message: InboundSMS) -> None:
    """Keep an inbound SMS exactly once and get it handled (any gateway's webhook calls this).

    Returns once the message is committed; a repeat of a stored gateway id is a no-op.
    Raises NotKept when the database did not take it.
    """
    try:
        new_id = store_inbound(message)
    except SQLAlchemyError as exc:
        rollback_quietly()
        log.error("sms inbound: database unreachable, not kept", extra={"error": type(exc).__name__})
        raise NotKept("the database did not take the message") from exc
    if new_id is None:
        # A gateway retry of a stored message: acknowledged, not counted against the limit.
        log.info("sms inbound: repeat delivery acknowledged", extra={"gateway_id": message.gateway_id})
        return
    if not _within_rate_limit(message.sender):
        log.warning("sms inbound: rate limited", extra={"inbound_id": new_id})
        try:
            mark_rate_limited(new_id)
        except SQLAlchemyError as exc:  # stored and acknowledged: left `received`, it gets handled
            rollback_quietly()
            log.error("sms inbound: not marked rate limited", extra={"inbound_id": new_id, "error": type(exc).__name__})
        return
    wake(new_id)


def store_inbound(message: InboundSMS) -> int | None:
    """Insert the message unless its gateway id is known; the new row's id, or None if a repeat.

    INSERT ... ON CONFLICT DO NOTHING, so two concurrent deliveries of one id store one row.
    A PIN or activation code never reaches `text` (app.sms.secrets).
    """
    text, secret = secrets.split(message.text.replace("\x00", ""))
    values: dict[str, object] = {
        "gateway_id": message.gateway_id[:100],
        "sender": message.sender[:32],
        "recipient": message.recipient[:32],
        "text": text,
        "secret": secret,
        "link_id": message.link_id[:100] if message.link_id else None,
        "received_at": utcnow(),
        "status": InboundStatus.RECEIVED.value,
        "attempts": 0,
    }
    begin_write()  # SQLite: the owner is read, then the row written: take the write lock first
    values["regency_code"], values["official_id"] = owner_of(message.sender[:32])
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    table = cast(Table, InboundMessage.__table__)  # Core, not the ORM's bulk-insert path: cheaper
    stmt = dialect.insert(table).values(**values).on_conflict_do_nothing(index_elements=["gateway_id"])
    new_id = db.session.execute(stmt.returning(table.c.id)).scalar()
    db.session.commit()
    return new_id


def _within_rate_limit(sender: str) -> bool:
    """Redis unreachable counts as within the limit: the message is stored and gets handled."""
    try:
        return within_rate_limit(sender)
    except Exception as exc:
        log.warning("sms inbound: rate limit not counted", extra={"error": type(exc).__name__})
        return True


def mark_rate_limited(inbound_id: int) -> None:
    """Over the per-number limit: keep the message (redacted), never handle it."""
    db.session.execute(
        update(InboundMessage)
        .where(InboundMessage.id == inbound_id, InboundMessage.status == InboundStatus.RECEIVED)
        .values(status=InboundStatus.RATE_LIMITED, secret=None, note="over the per-number rate limit: not handled")
    )
    db.session.commit()


def wake(inbound_id: int | None = None) -> None:
    """Enqueue a handling job (it takes a batch of waiting rows, this one among them).

    If Redis is unreachable the row waits, committed, for the periodic wake-up.
    """
    job_id = f"sms-in-{inbound_id}" if inbound_id is not None else None
    try:
        enqueue(SMS, jobs.HANDLE_INBOUND, job_id=job_id, timeout=handle_timeout(), check_existing=False, result_ttl=0)
    except Exception as exc:
        log.warning("sms inbound: no worker woken", extra={"inbound_id": inbound_id, "error": type(exc).__name__})


def handle_timeout() -> int:
    """The handling job's timeout: half the lease, so a lease outlives the job that took it."""
    return int(current_app.config["SMS_LEASE_SECONDS"]) // 2


def waiting() -> int:
    """How many stored messages wait to be handled (metrics)."""
    query = select(func.count()).select_from(InboundMessage).where(InboundMessage.status == InboundStatus.RECEIVED)
    count = db.session.scalar(query) or 0
    db.session.commit()
    return int(count)
