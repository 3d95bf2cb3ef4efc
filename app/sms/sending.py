"""Sending outbox rows: claim them with a conditional UPDATE, send, record each outcome.

The claim (`queued` -> `sending`) commits before the gateway is called, so two jobs never
send one row, and a row the gateway accepted is never sent again: only `queued` rows are
claimable, and a row goes back to `queued` only when the gateway surely did not take it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import update

from app.extensions import db
from app.gateways import ACCEPTED, KEPT, REJECTED, GatewayUnavailable, RecipientResult, get_gateway
from app.models import OutboundMessage
from app.models.base import utcnow
from app.models.message import FAILED, NOT_SENT, QUEUED, SENDING, SENT

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8  # then the row is failed for good, so sweepers do not retry it forever


@dataclass(frozen=True)
class Claimed:
    """An outbox row this job now owns."""

    id: int
    to: str
    text: str
    attempts: int


class SendLater(Exception):
    """Some rows were not taken by the gateway and went back to `queued`: retry the job."""


def claim(ids: list[int]) -> list[Claimed]:
    """Move `queued` rows to `sending` and commit; rows already claimed or done are skipped."""
    if not ids:
        return []
    stmt = (
        update(OutboundMessage)
        .where(OutboundMessage.id.in_(ids), OutboundMessage.status == QUEUED)
        .values(status=SENDING, attempts=OutboundMessage.attempts + 1)
        .returning(OutboundMessage.id, OutboundMessage.to, OutboundMessage.text, OutboundMessage.attempts)
    )
    rows = [Claimed(*row) for row in db.session.execute(stmt).all()]
    db.session.commit()
    return rows


def send_claimed(rows: list[Claimed]) -> int:
    """Send rows sharing one text in one gateway request; record outcomes; the number retried."""
    if not rows:
        return 0
    gateway = get_gateway()
    try:
        results = gateway.send(rows[0].text, [row.to for row in rows])
    except GatewayUnavailable as exc:
        log.warning("sms send: gateway unavailable", extra={"rows": len(rows), "error": str(exc)})
        results = [RecipientResult(row.to, "retry", reason=str(exc)[:100]) for row in rows]
    by_number = {result.number: result for result in results}
    retried = 0
    for row in rows:
        result = by_number.get(row.to) or RecipientResult(row.to, "retry", reason="no result")
        retried += record(row, result)
    db.session.commit()
    return retried


def record(row: Claimed, result: RecipientResult) -> int:
    """Write one row's outcome (status, gateway id, cost or reason); 1 if it goes back to queued."""
    values: dict[str, object]
    if result.outcome == ACCEPTED:
        values = {"status": SENT, "gateway_message_id": result.message_id, "cost": result.cost, "sent_at": utcnow()}
    elif result.outcome == KEPT:
        values = {"status": NOT_SENT, "failure_reason": result.reason}
    elif result.outcome == REJECTED:
        values = {"status": FAILED, "failure_reason": (result.reason or "rejected")[:100]}
    elif row.attempts >= MAX_ATTEMPTS:
        values = {"status": FAILED, "failure_reason": f"gave up after {row.attempts} tries: {result.reason}"[:100]}
    else:
        values = {"status": QUEUED, "failure_reason": (result.reason or "retry")[:100]}
    stmt = update(OutboundMessage).where(OutboundMessage.id == row.id, OutboundMessage.status == SENDING)
    db.session.execute(stmt.values(**values))
    return 1 if values["status"] == QUEUED else 0


def send_rows(ids: list[int]) -> int:
    """Claim and send rows (same text); how many were claimed. SendLater when some must retry."""
    claimed = claim(ids)
    retried = send_claimed(claimed)
    if retried:
        raise SendLater(f"{retried} message(s) not accepted yet; retrying with backoff")
    return len(claimed)
