"""Periodic sweeps of the outbox: what a lost job or a killed worker left behind.

- `sweep_outbox`: rows left `queued` (their send job lost with Redis) and rows stuck
  `sending` (a worker killed mid-request).
- `sweep_broadcasts`: broadcasts whose job was lost or gave up with rows still queued.

Inbound messages need no sweep of their own: the periodic handling job claims whatever
waits (app.sms.handling).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select, update

from app.extensions import db
from app.models import Broadcast, OutboundMessage
from app.models.base import utcnow
from app.models.broadcast import BroadcastStatus
from app.models.message import OutboundStatus
from app.sms.broadcasts import enqueue_broadcast
from app.sms.outbox import enqueue_send, queue_for

log = logging.getLogger(__name__)
GRACE = timedelta(seconds=30)  # leave the fast path time to do its job first
STUCK_SENDING = timedelta(minutes=10)  # far beyond the SDK's 3 s + 9 s timeouts
BATCH = 500


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
        .where(OutboundMessage.status == OutboundStatus.SENDING, OutboundMessage.claimed_at < utcnow() - STUCK_SENDING)
        .values(status=OutboundStatus.FAILED, failure_reason="outcome unknown: worker stopped mid-send; not resent")
    )
    db.session.commit()
    if stuck.rowcount:  # type: ignore[attr-defined]
        log.warning("sms outbox: rows stuck sending failed", extra={"rows": stuck.rowcount})  # type: ignore[attr-defined]
    query = (
        select(OutboundMessage.id, OutboundMessage.kind)
        .where(
            OutboundMessage.status == OutboundStatus.QUEUED,
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
        ((Broadcast.status == BroadcastStatus.PENDING) & (Broadcast.created_at < stale))
        | ((Broadcast.status == BroadcastStatus.HELD) & (Broadcast.not_before < stale))
    )
    leftover = (
        select(OutboundMessage.broadcast_id)
        .join(Broadcast, Broadcast.id == OutboundMessage.broadcast_id)
        .where(Broadcast.status == BroadcastStatus.SENDING, OutboundMessage.status == OutboundStatus.QUEUED)
        .where(OutboundMessage.created_at < stale)
        .distinct()
    )
    ids = sorted(set(db.session.scalars(pending)) | {i for i in db.session.scalars(leftover) if i is not None})
    for broadcast_id in ids:
        enqueue_broadcast(broadcast_id)
    return len(ids)
