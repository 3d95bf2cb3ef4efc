"""SMS sweepers: what the fast path left behind when Redis or the database was down.

- `load_spool`: messages the webhook spooled to disk while the database was unreachable.
- `sweep_inbound`: stored messages whose handling job never ran (Redis lost or down).
- `sweep_outbox`: rows left `queued` (job lost) and rows stuck `sending` (worker killed).
- `sweep_broadcasts`: broadcasts whose job was lost or gave up with rows still queued.
- `retry_delivery_reports`: delivery reports that arrived before their gateway id was stored.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError

from app.extensions import db
from app.models import Broadcast, InboundMessage, OutboundMessage
from app.models.base import utcnow
from app.models.broadcast import HELD, PENDING
from app.models.broadcast import SENDING as BROADCAST_SENDING
from app.models.message import FAILED, QUEUED, RECEIVED, SENDING
from app.sms import inbox, spool
from app.sms.broadcasts import enqueue_broadcast
from app.sms.delivery import apply_or_hold, report_from_dict, retry_held
from app.sms.inbound import enqueue_handling, store_inbound
from app.sms.outbox import enqueue_send, queue_for

log = logging.getLogger(__name__)
GRACE = timedelta(seconds=30)  # leave the fast path time to do its job first
STUCK_SENDING = timedelta(minutes=10)  # far beyond the SDK's 3 s + 9 s timeouts
BATCH = 500


def load_spool() -> int:
    """Store every spooled message (once per gateway id), enqueue the new ones; apply reports."""
    loaded = 0
    for path in spool.claim_files("inbound"):
        new_ids = []
        for record in spool.read_records(path):
            new_id = load_one(record)
            if new_id is not None:
                new_ids.append(new_id)
        path.unlink()  # every line is committed: the file has done its job
        for new_id in new_ids:
            enqueue_handling(new_id)
        loaded += len(new_ids)
    for path in spool.claim_files("delivery"):
        for record in spool.read_records(path):
            apply_or_hold(report_from_dict(record))
        path.unlink()
    if loaded:
        log.info("sms spool: loaded", extra={"messages": loaded})
    return loaded


def load_one(record: dict[str, Any]) -> int | None:
    """Store one spooled message; a record the database refuses is logged and skipped.

    Only an unreachable database stops the load (the claimed file stays for the next run);
    one bad line must not block every message behind it.
    """
    try:
        return store_inbound(
            str(record["id"]),
            str(record["from"]),
            str(record["to"]),
            str(record["text"]).replace("\x00", ""),
            record.get("linkId"),
            received_at=spool.parse_time(record["received_at"]),
        )
    except (OperationalError, InterfaceError):
        raise
    except (SQLAlchemyError, KeyError, ValueError) as exc:
        db.session.rollback()
        log.error("sms spool: record skipped", extra={"gateway_id": record.get("id"), "error": type(exc).__name__})
        return None


def retry_delivery_reports() -> int:
    """Apply delivery reports that came before their message's gateway id was stored."""
    return retry_held()


def sweep_inbound() -> int:
    """Enqueue handling for messages still `received` after the grace period.

    Not while drain jobs work through a backlog in the inbox: its ids are on their way, and a
    job per waiting message would only add to the load (claims keep them from being handled
    twice either way). Once the inbox is empty, or no drain job is on it, everything late goes.
    """
    if inbox.draining():
        return 0
    query = (
        select(InboundMessage.id)
        .where(InboundMessage.status == RECEIVED, InboundMessage.received_at < utcnow() - GRACE)
        .order_by(InboundMessage.id)
        .limit(BATCH)
    )
    ids = list(db.session.scalars(query))
    for inbound_id in ids:
        enqueue_handling(inbound_id)
    return len(ids)


def sweep_outbox() -> int:
    """Re-enqueue replies left `queued`; fail rows stuck `sending`, whose fate is unknown.

    A row stuck `sending` was claimed by a worker that died during the gateway call: the
    gateway may have sent it, and sending again could deliver it twice, so it is failed
    with a reason an operator can see instead. Age counts from the claim, not from creation:
    a row retried long after it was created is being sent right now, not stuck.
    Broadcast rows belong to their broadcast job.
    """
    stuck = db.session.execute(
        update(OutboundMessage)
        .where(OutboundMessage.status == SENDING, OutboundMessage.claimed_at < utcnow() - STUCK_SENDING)
        .values(status=FAILED, failure_reason="outcome unknown: worker stopped mid-send; not resent")
    )
    db.session.commit()
    if stuck.rowcount:  # type: ignore[attr-defined]
        log.warning("sms outbox: rows stuck sending failed", extra={"rows": stuck.rowcount})  # type: ignore[attr-defined]
    query = (
        select(OutboundMessage.id, OutboundMessage.kind)
        .where(
            OutboundMessage.status == QUEUED,
            OutboundMessage.broadcast_id.is_(None),
            OutboundMessage.created_at < utcnow() - GRACE,
        )
        .order_by(OutboundMessage.id)
        .limit(BATCH)
    )
    rows = list(db.session.execute(query))
    for outbound_id, kind in rows:
        enqueue_send(outbound_id, queue_for(kind))
    return len(rows)


def sweep_broadcasts() -> int:
    """Re-enqueue broadcasts never started (Redis was down), past their quiet-hours hold, or
    left with queued rows."""
    stale = utcnow() - GRACE
    pending = select(Broadcast.id).where(
        ((Broadcast.status == PENDING) & (Broadcast.created_at < stale))
        | ((Broadcast.status == HELD) & (Broadcast.not_before < stale))
    )
    leftover = (
        select(OutboundMessage.broadcast_id)
        .join(Broadcast, Broadcast.id == OutboundMessage.broadcast_id)
        .where(Broadcast.status == BROADCAST_SENDING, OutboundMessage.status == QUEUED)
        .where(OutboundMessage.created_at < stale)
        .distinct()
    )
    ids = sorted(set(db.session.scalars(pending)) | {i for i in db.session.scalars(leftover) if i is not None})
    for broadcast_id in ids:
        enqueue_broadcast(broadcast_id)
    return len(ids)
