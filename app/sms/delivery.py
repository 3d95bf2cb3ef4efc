"""Delivery reports (any gateway's, as `DeliveryReport`): delivered, or failed with the reason.

A reply's gateway id is committed as soon as the gateway answers (app.sms.handling), so a
report finds its message. A report naming no message of ours is acknowledged and logged.
A database error propagates: the webhook answers 503 and the gateway tries again.
"""

from __future__ import annotations

import logging

from sqlalchemy import select

from app.database import begin_write
from app.extensions import db
from app.gateways import DeliveryReport, ReportOutcome
from app.models import OutboundMessage
from app.models.base import utcnow
from app.models.message import OutboundStatus

log = logging.getLogger(__name__)


def _message_for(report: DeliveryReport) -> OutboundMessage | None:
    if report.message_id is not None:
        return db.session.get(OutboundMessage, report.message_id)
    if report.gateway_id:
        return db.session.scalar(select(OutboundMessage).where(OutboundMessage.gateway_message_id == report.gateway_id))
    return None


def record_delivery(report: DeliveryReport) -> bool:
    """Apply a gateway's report to the row it names (any gateway's webhook calls this); False if none."""
    if report.outcome is not ReportOutcome.PENDING:
        begin_write()  # SQLite: a final report reads its row, then writes; take the write lock first
    message = _message_for(report)
    if message is None:
        db.session.rollback()
        log.warning(
            "sms delivery: report for no message of ours",
            extra={"gateway_message_id": report.gateway_id, "outbound_id": report.message_id},
        )
        return False
    if report.outcome is ReportOutcome.DELIVERED:
        message.status, message.delivered_at = OutboundStatus.DELIVERED, utcnow()
    elif report.outcome is ReportOutcome.FAILED:
        message.status, message.failure_reason = OutboundStatus.FAILED, (report.reason or "failed")[:100]
    db.session.commit()
    return True
