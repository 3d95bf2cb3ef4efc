"""Sending a broadcast: hold in quiet hours, create the recipients' rows, send in batches."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select, update

from app import jobs
from app.database import begin_write
from app.extensions import db
from app.gateways import MAX_BATCH
from app.models import Broadcast, OutboundMessage
from app.models.base import utcnow
from app.models.broadcast import BroadcastStatus
from app.models.message import OutboundStatus
from app.queues import BULK, enqueue
from app.sms.broadcasts import create_rows, quiet_until
from app.sms.sending import SendLater, claim, send_claimed

log = logging.getLogger(__name__)
NOT_STARTED = (BroadcastStatus.PENDING, BroadcastStatus.HELD)  # no recipient rows yet


def send_broadcast(broadcast_id: int) -> str:
    """Send every queued row of the broadcast, at most MAX_BATCH numbers per gateway request.

    Quiet hours only hold a broadcast that has not started: once rows exist it finishes.
    Rows are claimed before each request, so a rerun (retry, sweeper) sends only what no
    earlier run handed to the gateway; rows the gateway did not take go back to `queued`
    and the job raises, so RQ retries it with backoff.
    """
    broadcast = db.session.get(Broadcast, broadcast_id)
    if broadcast is None or broadcast.status == BroadcastStatus.DONE:
        return f"broadcast {broadcast_id}: nothing to do"
    if broadcast.status in NOT_STARTED:
        hold = None if broadcast.urgent else quiet_until(utcnow())
        # End the reading transaction so the conditional UPDATE opens the next one: SQLite
        # (WAL) refuses a write from a transaction that read before another run wrote.
        db.session.commit()
        if hold is not None:
            return hold_broadcast(broadcast_id, hold)
        if not begin_sending(broadcast_id):  # the winner sends; marking done here would be early
            return f"broadcast {broadcast_id}: started by another run"
    db.session.commit()  # end any reading transaction: the claims below read, then write
    begin_write()
    ids = list(
        db.session.scalars(
            select(OutboundMessage.id)
            .where(OutboundMessage.broadcast_id == broadcast_id, OutboundMessage.status == OutboundStatus.QUEUED)
            .order_by(OutboundMessage.id)
        )
    )
    retried = 0
    for start in range(0, len(ids), MAX_BATCH):
        retried += send_claimed(claim(ids[start : start + MAX_BATCH]))
    if retried:
        raise SendLater(f"broadcast {broadcast_id}: {retried} recipient(s) to retry")
    begin_write()  # a write-first transaction: no read of the (expired) broadcast row before it
    done = (
        update(Broadcast).where(Broadcast.id == broadcast_id).values(status=BroadcastStatus.DONE, finished_at=utcnow())
    )
    db.session.execute(done.execution_options(synchronize_session=False))
    db.session.commit()
    return f"broadcast {broadcast_id}: {len(ids)} handed to the gateway"


def hold_broadcast(broadcast_id: int, hold: datetime) -> str:
    """Hold a broadcast not yet started until `hold`, and schedule its job for then."""
    held = db.session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status.in_(NOT_STARTED))
        .values(status=BroadcastStatus.HELD, not_before=hold)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if held.rowcount != 1:  # type: ignore[attr-defined]
        return f"broadcast {broadcast_id}: started by another run"
    # One scheduled job per broadcast and morning, whichever run held it; not `broadcast-N`,
    # which may be the job running now.
    job_id = f"broadcast-{broadcast_id}-held-{hold:%Y%m%d}"
    enqueue(BULK, jobs.SEND_BROADCAST, broadcast_id, job_id=job_id, timeout=600, at=hold)
    return f"broadcast {broadcast_id}: held until {hold.isoformat()}"


def begin_sending(broadcast_id: int) -> bool:
    """Move the broadcast to `sending` and create its rows, in one commit; False if another run did.

    The conditional UPDATE decides: of two runs that both saw it pending or held (the
    scheduled job and the sweeper's), only the one whose UPDATE changed the row creates
    rows; the other waits for that commit (PostgreSQL row lock, SQLite write lock) and
    finds nothing to change. The unique (broadcast_id, to) constraint backs this up.
    """
    started = db.session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status.in_(NOT_STARTED))
        .values(status=BroadcastStatus.SENDING, started_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if started.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return False
    broadcast = db.session.get(Broadcast, broadcast_id, populate_existing=True)
    assert broadcast is not None  # this transaction just updated it
    create_rows(broadcast)
    db.session.commit()  # rows and status together: a failed run leaves it startable again
    return True
