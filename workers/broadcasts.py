"""The broadcast job: hold in quiet hours, create the recipients' rows, send in batches."""

from __future__ import annotations

import logging

from sqlalchemy import select

from app.extensions import db
from app.gateways import MAX_BATCH
from app.models import Broadcast, OutboundMessage
from app.models.base import utcnow
from app.models.broadcast import DONE, HELD, PENDING, SENDING
from app.models.message import QUEUED
from app.queues import BULK, get_queue
from app.sms.broadcasts import create_rows, quiet_until
from app.sms.sending import SendLater, claim, send_claimed

log = logging.getLogger(__name__)


def send_broadcast(broadcast_id: int) -> str:
    """Send every queued row of the broadcast, at most MAX_BATCH numbers per gateway request.

    Rows are claimed before each request, so a rerun (retry, sweeper) sends only what no
    earlier run handed to the gateway; rows the gateway did not take go back to `queued`
    and the job raises, so RQ retries it with backoff.
    """
    broadcast = db.session.get(Broadcast, broadcast_id)
    if broadcast is None or broadcast.status == DONE:
        return f"broadcast {broadcast_id}: nothing to do"
    hold = None if broadcast.urgent else quiet_until(utcnow())
    if hold is not None:
        broadcast.status, broadcast.not_before = HELD, hold
        db.session.commit()
        get_queue(BULK).enqueue_at(hold, "workers.broadcasts.send_broadcast", broadcast_id, job_timeout=600)
        return f"broadcast {broadcast_id}: held until {hold.isoformat()}"
    if broadcast.status in (PENDING, HELD):
        create_rows(broadcast)
        broadcast.status, broadcast.started_at = SENDING, utcnow()
        db.session.commit()  # rows and status together: a rerun never creates rows twice
    ids = list(
        db.session.scalars(
            select(OutboundMessage.id)
            .where(OutboundMessage.broadcast_id == broadcast_id, OutboundMessage.status == QUEUED)
            .order_by(OutboundMessage.id)
        )
    )
    retried = 0
    for start in range(0, len(ids), MAX_BATCH):
        retried += send_claimed(claim(ids[start : start + MAX_BATCH]))
    if retried:
        raise SendLater(f"broadcast {broadcast_id}: {retried} recipient(s) to retry")
    broadcast.status, broadcast.finished_at = DONE, utcnow()
    db.session.commit()
    return f"broadcast {broadcast_id}: {len(ids)} handed to the gateway"
