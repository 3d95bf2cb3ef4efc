"""Storing an inbound SMS exactly once and enqueueing its handling."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import cast

from sqlalchemy import Table, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from app.database import begin_write
from app.extensions import db
from app.gateways import InboundSMS
from app.models import InboundMessage
from app.models.base import utcnow
from app.models.message import RATE_LIMITED, RECEIVED
from app.queues import SMS, enqueue
from app.sms import inbox, spool
from app.sms.owner import owner_of
from menus.sms.router import redact

log = logging.getLogger(__name__)


class NotKept(Exception):
    """The message could be neither stored nor spooled: answer 5xx so the gateway retries."""


def receive(message: InboundSMS) -> None:
    """Keep an inbound SMS exactly once and get it handled (any gateway's webhook calls this).

    Returns once the message is committed (or spooled while the database is unreachable);
    a repeat of a stored gateway id is a no-op. Raises NotKept when it could not be kept.
    """
    try:
        new_id = store_inbound(message.gateway_id, message.sender, message.recipient, message.text, message.link_id)
    except SQLAlchemyError as exc:
        _spool_instead(message, exc)
        return
    if new_id is None:
        # A gateway retry of a stored message: acknowledged, and not counted against the
        # sender's rate limit (the gateway retries every minute for 12 hours).
        log.info("sms inbound: repeat delivery acknowledged", extra={"gateway_id": message.gateway_id})
    elif not admit_for_handling(new_id, message.sender):  # rate limit, then the inbox (app.sms.inbox)
        log.warning("sms inbound: rate limited", extra={"inbound_id": new_id})
        try:
            mark_rate_limited(new_id, redact(message.text))
        except SQLAlchemyError as exc:  # stored and acknowledged; left `received`, the sweeper handles it
            db.session.rollback()
            log.error("sms inbound: not marked rate limited", extra={"inbound_id": new_id, "error": type(exc).__name__})


def _spool_instead(message: InboundSMS, exc: Exception) -> None:
    """The database is unreachable: keep the message on local disk."""
    log.error("sms inbound: database unreachable, spooling", extra={"error": type(exc).__name__})
    try:
        db.session.rollback()
    except SQLAlchemyError:
        pass
    record = {
        "id": message.gateway_id,
        "from": message.sender,
        "to": message.recipient,
        "text": message.text,
        "linkId": message.link_id,
        "received_at": utcnow().isoformat(),
    }
    try:
        spool.append(record)
    except OSError as err:
        log.exception("sms inbound: spool write failed")
        raise NotKept("neither the database nor the spool took the message") from err


def handle_job_id(inbound_id: int) -> str:
    """Deterministic: one handling job per stored inbound message."""
    return f"sms-in-{inbound_id}"


def mark_rate_limited(inbound_id: int, redacted_text: str) -> None:
    """Over the per-number limit: keep the message (redacted, as it will never be handled)."""
    db.session.execute(
        update(InboundMessage)
        .where(InboundMessage.id == inbound_id, InboundMessage.status == RECEIVED)
        .values(status=RATE_LIMITED, text=redacted_text, note="over the per-number rate limit: stored, not handled")
    )
    db.session.commit()


def store_inbound(
    gateway_id: str,
    sender: str,
    recipient: str,
    text: str,
    link_id: str | None,
    *,
    received_at: datetime | None = None,
) -> int | None:
    """Insert the message unless its gateway id is known; the new row's id, or None if a repeat.

    INSERT ... ON CONFLICT DO NOTHING, so two concurrent deliveries of one id store one row.
    """
    values: dict[str, object] = {
        "gateway_id": gateway_id[:100],
        "sender": sender[:32],
        "recipient": recipient[:32],
        "text": text,
        "link_id": link_id[:100] if link_id else None,
        "received_at": received_at or utcnow(),
        "status": RECEIVED,
    }
    begin_write()  # SQLite: the owner is read, then the row written: take the write lock first
    values["regency_code"], values["official_id"] = owner_of(sender)
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    table = cast(Table, InboundMessage.__table__)  # Core, not the ORM's bulk-insert path: cheaper
    stmt = dialect.insert(table).values(**values).on_conflict_do_nothing(index_elements=["gateway_id"])
    new_id = db.session.execute(stmt.returning(table.c.id)).scalar()
    db.session.commit()
    return new_id


def enqueue_handling(inbound_id: int) -> bool:
    """Enqueue a job of its own for the message (sweeper, spool; the webhook uses the inbox).

    False (logged) if Redis is unreachable: the message stays `received` for the sweeper.
    """
    try:
        enqueue(SMS, "workers.sms.handle_inbound", inbound_id, job_id=handle_job_id(inbound_id), timeout=30)
    except Exception as exc:  # committed already: the sweeper enqueues stored-but-unhandled messages
        log.warning("sms inbound: enqueue failed", extra={"inbound_id": inbound_id, "error": repr(exc)})
        return False
    return True


def admit_for_handling(inbound_id: int, sender: str) -> bool:
    """Rate limit and inbox push for a new message; False when over the limit.

    Redis unreachable counts as within the limit: the message is committed `received` and
    the inbound sweeper enqueues it once Redis is back.
    """
    try:
        return inbox.admit(inbound_id, sender)
    except Exception as exc:
        log.warning("sms inbound: inbox push failed", extra={"inbound_id": inbound_id, "error": repr(exc)})
        return True
