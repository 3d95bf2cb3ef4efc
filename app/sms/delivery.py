"""Delivery reports (any gateway's, as `DeliveryReport`): delivered, or failed with the reason.

A report can arrive before its message's gateway id is stored: a reply's outcome is written
with the worker's next commit (workers.sms.Replies), and the gateway may be quick. Such a
report is held in Redis and applied by a sweeper once the id is known, for up to HOLD_FOR;
after that it is dropped with a log line (a report for a message that is not ours).
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.gateways import DeliveryReport, ReportOutcome
from app.models import OutboundMessage
from app.models.base import utcnow
from app.models.message import DELIVERED, FAILED
from app.redis_client import get_redis

log = logging.getLogger(__name__)
EARLY = "melek:sms:delivery:early"  # hash: gateway message id -> the report, with when it was held
HOLD_FOR = 3600
HOLD_MAX = 20_000  # reports held at most (a day's replies are far fewer; forged callbacks are not)
# Delete a held report only if it is still the one the sweeper read (a newer one may have come).
FORGET = (
    "if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0"
)


def report_from_dict(record: dict[str, Any]) -> DeliveryReport:
    """A report kept as JSON (held in Redis, spooled) back as the dataclass."""
    return DeliveryReport(
        ReportOutcome(record["outcome"]), record.get("gateway_id"), record.get("message_id"), record.get("reason")
    )


def _message_for(report: DeliveryReport) -> OutboundMessage | None:
    if report.message_id is not None:
        return db.session.get(OutboundMessage, report.message_id)
    if report.gateway_id:
        return db.session.scalar(select(OutboundMessage).where(OutboundMessage.gateway_message_id == report.gateway_id))
    return None


def apply_delivery_report(report: DeliveryReport) -> bool:
    """Update the row the report is about; False if no such row is stored (yet)."""
    message = _message_for(report)
    if message is None:
        return False
    if report.outcome is ReportOutcome.DELIVERED:
        message.status, message.delivered_at = DELIVERED, utcnow()
    elif report.outcome is ReportOutcome.FAILED:
        message.status, message.failure_reason = FAILED, (report.reason or "failed")[:100]
    db.session.commit()
    return True


def record_delivery(report: DeliveryReport) -> bool:
    """Apply a gateway's report (any gateway's webhook calls this); see `apply_or_hold`."""
    return apply_or_hold(report)


def apply_or_hold(report: DeliveryReport) -> bool:
    """Apply the report, or hold it for `retry_held` when its message is not stored yet."""
    if apply_delivery_report(report):
        return True
    if report.outcome is ReportOutcome.PENDING or not report.gateway_id:
        return False  # an intermediate status changes nothing: no need to keep it
    try:
        redis = get_redis()
        if redis.hlen(EARLY) >= HOLD_MAX:
            log.warning("sms delivery: too many held reports", extra={"gateway_message_id": report.gateway_id})
            return False
        with redis.pipeline(transaction=False) as pipe:
            pipe.hset(EARLY, report.gateway_id, json.dumps(asdict(report) | {"held_at": time.time()}))
            pipe.expire(EARLY, HOLD_FOR)
            pipe.execute()
        log.info("sms delivery: id not known yet, report held", extra={"gateway_message_id": report.gateway_id})
    except Exception as exc:  # Redis down: the report is lost, the row keeps its `sent` status
        log.warning("sms delivery: report not held", extra={"error": type(exc).__name__})
    return False


def retry_held() -> int:
    """Apply held reports whose id is known now; drop those held longer than HOLD_FOR. Applied count."""
    redis = get_redis()
    applied = 0
    for gateway_id, raw in redis.hgetall(EARLY).items():
        record = json.loads(raw)
        held_at = float(record.pop("held_at", 0))
        if apply_delivery_report(report_from_dict(record)):
            applied += 1
        elif time.time() - held_at < HOLD_FOR:
            db.session.rollback()  # end the read: no transaction held open across the loop (SQLite)
            continue
        else:
            db.session.rollback()
            log.warning("sms delivery: report for an unknown id dropped", extra={"gateway_message_id": gateway_id})
        redis.eval(FORGET, 1, EARLY, gateway_id, raw)
    return applied
