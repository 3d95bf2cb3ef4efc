"""Delivery reports: `Success` -> delivered, `Failed`/`Rejected` -> failed with the reason.

A report can arrive before its message's gateway id is stored: a reply's outcome is written
with the worker's next commit (workers.sms.Replies), and the gateway may be quick. Such a
report is held in Redis and applied by a sweeper once the id is known, for up to HOLD_FOR;
after that it is dropped with a log line (a report for a message that is not ours).
"""

from __future__ import annotations

import json
import logging
import time

from sqlalchemy import select

from app.extensions import db
from app.models import OutboundMessage
from app.models.base import utcnow
from app.models.message import DELIVERED, FAILED
from app.redis_client import get_redis

log = logging.getLogger(__name__)
EARLY = "melek:sms:delivery:early"  # hash: gateway message id -> the report, with when it was held
HOLD_FOR = 3600
HOLD_MAX = 20_000  # reports held at most (a day's replies are far fewer; forged callbacks are not)
FINAL = ("Success", "Failed", "Rejected")  # only these change a row, so only these are held
# Delete a held report only if it is still the one the sweeper read (a newer one may have come).
FORGET = (
    "if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0"
)


def apply_delivery_report(report: dict[str, str | None]) -> bool:
    """Update the row the report is about; False if no row has that gateway id (yet)."""
    message = db.session.scalar(select(OutboundMessage).where(OutboundMessage.gateway_message_id == report["id"]))
    if message is None:
        return False
    status = report["status"]
    if status == "Success":
        message.status, message.delivered_at = DELIVERED, utcnow()
    elif status in ("Failed", "Rejected"):
        message.status, message.failure_reason = FAILED, (report.get("failureReason") or status)[:100]
    db.session.commit()
    return True


def apply_or_hold(report: dict[str, str | None]) -> bool:
    """Apply the report, or hold it for `retry_held` when its id is not stored yet."""
    if apply_delivery_report(report):
        return True
    if report["status"] not in FINAL:
        return False  # an intermediate status changes nothing: no need to keep it
    try:
        redis = get_redis()
        if redis.hlen(EARLY) >= HOLD_MAX:
            log.warning("sms delivery: too many held reports, not held", extra={"gateway_message_id": report["id"]})
            return False
        with redis.pipeline(transaction=False) as pipe:
            pipe.hset(EARLY, str(report["id"]), json.dumps(report | {"held_at": time.time()}))
            pipe.expire(EARLY, HOLD_FOR)
            pipe.execute()
        log.info("sms delivery: id not known yet, report held", extra={"gateway_message_id": report["id"]})
    except Exception as exc:  # Redis down: the report is lost, the row keeps its `sent` status
        log.warning("sms delivery: report not held", extra={"error": type(exc).__name__})
    return False


def retry_held() -> int:
    """Apply held reports whose id is known now; drop those held longer than HOLD_FOR. Applied count."""
    redis = get_redis()
    applied = 0
    for gateway_id, raw in redis.hgetall(EARLY).items():
        report = json.loads(raw)
        held_at = float(report.pop("held_at", 0))
        if apply_delivery_report(report):
            applied += 1
        elif time.time() - held_at < HOLD_FOR:
            db.session.rollback()  # end the read: no transaction held open across the loop (SQLite)
            continue
        else:
            db.session.rollback()
            log.warning("sms delivery: report for an unknown id dropped", extra={"gateway_message_id": report["id"]})
        redis.eval(FORGET, 1, EARLY, gateway_id, raw)
    return applied
