"""Broadcasts: create one, resolve its recipients into outbox rows, count their statuses.

Quiet hours (21:00-06:00 WITA) hold a non-urgent broadcast until 06:00: officials' phones
should not buzz at night unless the province means it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from typing import Any

from redis.exceptions import RedisError
from sqlalchemy import func, insert, select

from app import jobs
from app.extensions import db
from app.models import Broadcast, Handset, OutboundMessage
from app.models.base import utcnow
from app.models.handset import HandsetStatus
from app.models.message import OutboundStatus
from app.queues import BULK, enqueue
from app.registry.audit import Actor, record
from app.registry.errors import Forbidden
from app.registry.msisdn import to_e164
from menus.clock import WITA
from menus.gsm7 import sms_parts, to_gsm7

QUIET_START, QUIET_END = time(21, 0), time(6, 0)
STATUSES = tuple(OutboundStatus)  # the keys of `counts`, every one present
log = logging.getLogger(__name__)


class BroadcastError(ValueError):
    """The request cannot become a broadcast; the message says why."""


def quiet_until(now: datetime) -> datetime | None:
    """06:00 WITA next if `now` falls in quiet hours (21:00-06:00 WITA), else None."""
    local = now.astimezone(WITA)
    if QUIET_END <= local.time() < QUIET_START:
        return None
    day = local.date() + timedelta(days=1) if local.time() >= QUIET_START else local.date()
    return datetime.combine(day, QUIET_END, tzinfo=WITA).astimezone(UTC)


def create_broadcast(
    text: str,
    *,
    regencies: list[str] | None = None,
    numbers: list[str] | None = None,
    urgent: bool = False,
    created_by: str = "",
) -> Broadcast:
    """Validate and store a broadcast (not yet committed); recipients resolve in the job."""
    text = to_gsm7(text.strip())
    if not text:
        raise BroadcastError("The message text is empty.")
    if len(text) > 459:
        raise BroadcastError("The message is longer than 3 SMS parts (459 characters).")
    cleaned = []
    for raw in numbers or []:
        number = to_e164(raw)
        if number is None:
            raise BroadcastError(f"{raw!r} is not an Indonesian mobile number.")
        cleaned.append(number)
    broadcast = Broadcast(
        text=text,
        regencies=",".join(sorted(set(regencies))) if regencies else None,
        numbers=",".join(dict.fromkeys(cleaned)) if cleaned else None,
        urgent=urgent,
        created_by=created_by[:80],
    )
    db.session.add(broadcast)
    db.session.flush()
    return broadcast


def start_broadcast(
    actor: Actor, text: str, regencies: list[str], *, numbers: list[str] | None = None, urgent: bool = False
) -> Broadcast:
    """Create, audit, commit and enqueue a broadcast to some regencies' handsets (all if none) or to numbers.

    The console and the API both start broadcasts here. A regency admin may send to its own
    regency only; a viewer not at all.
    """
    actor.check_write()
    if actor.regency_code is not None and (numbers or regencies != [actor.regency_code]):
        raise Forbidden("Admin kab/kota hanya mengirim ke kab/kotanya / regency admins send to their own regency only.")
    try:
        broadcast = create_broadcast(text, regencies=regencies, numbers=numbers, urgent=urgent, created_by=actor.name)
    except BroadcastError:
        db.session.rollback()
        raise
    scope = regencies[0] if len(regencies) == 1 else None
    after = {"regencies": regencies, "urgent": urgent}
    record(actor, "broadcast.create", "broadcast", broadcast.id, scope, after=after)
    db.session.commit()
    try:
        enqueue_broadcast(broadcast.id)
    except RedisError:  # committed as pending: the broadcast sweeper starts it later
        log.warning("broadcast: enqueue failed", extra={"broadcast_id": broadcast.id})
    return broadcast


def recipient_numbers(broadcast: Broadcast) -> list[str]:
    """The broadcast's numbers: its list, or the active handsets (of some regencies)."""
    if broadcast.numbers:
        return broadcast.numbers.split(",")
    query = select(Handset.msisdn).where(Handset.status == HandsetStatus.ACTIVE, Handset.msisdn.is_not(None))
    if broadcast.regencies:
        query = query.where(Handset.regency_code.in_(broadcast.regencies.split(",")))
    return sorted({n for n in db.session.scalars(query.order_by(Handset.id)) if n})


def owners_by_number() -> dict[str, str]:
    """The regency of every number on a handset, an active handset winning (as app.sms.owner)."""
    query = (
        select(Handset.msisdn, Handset.regency_code)
        .where(Handset.msisdn.is_not(None), Handset.status != HandsetStatus.RETIRED)
        .order_by((Handset.status == HandsetStatus.ACTIVE).asc(), Handset.id)  # later rows win: active ones last
    )
    return {msisdn: regency for msisdn, regency in db.session.execute(query) if msisdn}


def create_rows(broadcast: Broadcast) -> int:
    """One queued outbox row per recipient, inserted in bulk (the caller commits)."""
    encoding, parts = sms_parts(broadcast.text)
    now = utcnow()
    owners = owners_by_number()
    rows = [
        {"to": n, "text": broadcast.text, "encoding": encoding, "parts": parts, "kind": "broadcast",
         "status": OutboundStatus.QUEUED.value, "attempts": 0, "broadcast_id": broadcast.id, "created_at": now,
         "regency_code": owners.get(n)}
        for n in recipient_numbers(broadcast)
    ]  # fmt: skip
    if rows:
        db.session.execute(insert(OutboundMessage), rows)
    broadcast.recipients = len(rows)
    return len(rows)


def counts(broadcast_id: int) -> dict[str, int]:
    """Recipients per outbox status, every status present (zeros included)."""
    query = (
        select(OutboundMessage.status, func.count())
        .where(OutboundMessage.broadcast_id == broadcast_id)
        .group_by(OutboundMessage.status)
    )
    found: dict[str, int] = {status: count for status, count in db.session.execute(query)}
    return {status.value: found.get(status, 0) for status in STATUSES}


def describe(broadcast: Broadcast) -> dict[str, Any]:
    """The broadcast as JSON-able data, with its counts."""
    return {
        "id": broadcast.id,
        "text": broadcast.text,
        "regencies": broadcast.regencies.split(",") if broadcast.regencies else [],
        "numbers": len(broadcast.numbers.split(",")) if broadcast.numbers else 0,
        "urgent": broadcast.urgent,
        "status": broadcast.status,
        "recipients": broadcast.recipients,
        "not_before": broadcast.not_before.isoformat() if broadcast.not_before else None,
        "created_at": broadcast.created_at.isoformat(),
        "finished_at": broadcast.finished_at.isoformat() if broadcast.finished_at else None,
        "counts": counts(broadcast.id),
    }


def enqueue_broadcast(broadcast_id: int) -> None:
    """Enqueue the broadcast job on the bulk queue (deterministic id: one job per broadcast)."""
    enqueue(BULK, jobs.SEND_BROADCAST, broadcast_id, job_id=f"broadcast-{broadcast_id}", timeout=600)
