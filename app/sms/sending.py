"""Sending outbox rows: claim them with a conditional UPDATE, send, record each outcome.

The claim (`queued` -> `sending`) commits before the gateway is called, so two jobs never
send one row, and a row the gateway accepted is never sent again: only `queued` rows are
claimable, and a row goes back to `queued` only when the gateway surely did not take it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, bindparam, update

from app.extensions import db
from app.gateways import ACCEPTED, KEPT, REJECTED, GatewayUnavailable, RecipientResult, get_gateway
from app.models import OutboundMessage
from app.models.base import utcnow
from app.models.message import OutboundStatus

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
    """Move `queued` rows to `sending` (stamping `claimed_at`) and commit; others are skipped."""
    if not ids:
        return []
    stmt = (
        update(OutboundMessage)
        .where(OutboundMessage.id.in_(ids), OutboundMessage.status == OutboundStatus.QUEUED)
        .values(status=OutboundStatus.SENDING, attempts=OutboundMessage.attempts + 1, claimed_at=utcnow())
        .returning(OutboundMessage.id, OutboundMessage.to, OutboundMessage.text, OutboundMessage.attempts)
    )
    rows = [Claimed(*row) for row in db.session.execute(stmt).all()]
    db.session.commit()
    return rows


def send_claimed(rows: list[Claimed]) -> int:
    """Send rows sharing one text in one gateway request; record outcomes; the number retried."""
    outcomes = gateway_outcomes(rows)
    record_outcomes(outcomes)
    db.session.commit()
    return sum(1 for values in outcomes if values["status"] == OutboundStatus.QUEUED)


def gateway_outcomes(rows: list[Claimed]) -> list[dict[str, object]]:
    """Send rows sharing one text in one gateway request; each row's new values (not yet written)."""
    if not rows:
        return []
    try:
        results = get_gateway().send(rows[0].text, [row.to for row in rows], {row.to: row.id for row in rows})
    except GatewayUnavailable as exc:
        log.warning("sms send: gateway unavailable", extra={"rows": len(rows), "error": str(exc)})
        results = [RecipientResult(row.to, "retry", reason=str(exc)[:100]) for row in rows]
    by_number = {result.number: result for result in results}
    missing = RecipientResult("", "retry", reason="no result")
    return [outcome(row, by_number.get(row.to, missing)) for row in rows]


def record_outcomes(outcomes: list[dict[str, object]]) -> None:
    """Write outcomes in the current transaction (one executemany); only rows still `sending` change."""
    if not outcomes:
        return
    table = cast(Table, OutboundMessage.__table__)
    stmt = (
        update(table)
        .where(table.c.id == bindparam("row_id"), table.c.status == OutboundStatus.SENDING)
        .values({name: bindparam(name) for name in FIELDS})
    )
    db.session.execute(stmt, outcomes)


FIELDS = ("status", "gateway_message_id", "cost", "sent_at", "failure_reason")


def outcome(row: Claimed, result: RecipientResult) -> dict[str, object]:
    """One row's new values: status, gateway id and cost, or the reason it failed or waits."""
    values: dict[str, object] = dict.fromkeys(FIELDS) | {"row_id": row.id}
    if result.outcome == ACCEPTED:
        values |= {
            "status": OutboundStatus.SENT,
            "gateway_message_id": result.message_id,
            "cost": result.cost,
            "sent_at": utcnow(),
        }
        values["failure_reason"] = result.reason  # None, or why no message id came back
    elif result.outcome == KEPT:
        values |= {"status": OutboundStatus.NOT_SENT, "failure_reason": result.reason}
    elif result.outcome == REJECTED:
        values |= {"status": OutboundStatus.FAILED, "failure_reason": (result.reason or "rejected")[:100]}
    elif row.attempts >= MAX_ATTEMPTS:
        values |= {
            "status": OutboundStatus.FAILED,
            "failure_reason": f"gave up after {row.attempts} tries: {result.reason}"[:100],
        }
    else:
        values |= {"status": OutboundStatus.QUEUED, "failure_reason": (result.reason or "retry")[:100]}
    return values


def send_rows(ids: list[int]) -> int:
    """Claim and send rows (same text); how many were claimed. SendLater when some must retry."""
    claimed = claim(ids)
    retried = send_claimed(claimed)
    if retried:
        raise SendLater(f"{retried} message(s) not accepted yet; retrying with backoff")
    return len(claimed)
