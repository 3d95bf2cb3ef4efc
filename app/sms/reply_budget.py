"""Limits on automatic replies, against SMS pumping (fraudsters texting us from premium numbers).

A reply goes out only to a valid Indonesian mobile number, at most REPLY_DAILY_CAP times a
day per number and kind, and within a global REPLY_HOURLY_BUDGET; the first refusal past
the budget in an hour logs an ERROR (the alert), and /metrics shows the refusals. Refused
replies are kept as `not_sent` rows with the reason, so nothing is silently dropped.

Broadcasts, Crisis Center alerts, status notices and admins' messages are not replies and
are never limited here. Redis unreachable: the reply is allowed (logged), as sending
itself goes on without Redis.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app
from redis.exceptions import RedisError

from app.models.base import utcnow
from app.redis_client import get_redis
from app.registry.msisdn import to_e164

log = logging.getLogger(__name__)
REPLY_KINDS = frozenset({"reply", "confirmation"})  # answers to what someone sent or filed
PREFIX = "melek:replybudget:"
NOT_MOBILE, DAILY_CAP, HOURLY_BUDGET = "not_indonesian_mobile", "daily_cap", "hourly_budget"
REASONS = (NOT_MOBILE, DAILY_CAP, HOURLY_BUDGET)


def refusal(to: str, kind: str) -> str | None:
    """Why an automatic reply to `to` must not be sent (a REASONS value), or None to send it.

    Counts the reply when it is allowed: call once per reply about to be written.
    """
    if kind not in REPLY_KINDS:
        return None
    now = utcnow()
    if to_e164(to) != to:
        _count_refusal(NOT_MOBILE, now)
        return NOT_MOBILE
    day_key = f"{PREFIX}day:{now:%Y%m%d}:{kind}:{to}"
    hour_key = hour_used_key(now)
    try:
        pipe = get_redis().pipeline()
        pipe.incr(day_key)
        pipe.expire(day_key, 2 * 86400)
        pipe.incr(hour_key)
        pipe.expire(hour_key, 2 * 3600)
        per_number, _, this_hour, _ = pipe.execute()
    except RedisError as exc:
        log.warning("reply budget: unavailable (Redis); reply allowed", extra={"error": type(exc).__name__})
        return None
    if int(per_number) > int(current_app.config["REPLY_DAILY_CAP"]):
        _count_refusal(DAILY_CAP, now)
        return DAILY_CAP
    budget = int(current_app.config["REPLY_HOURLY_BUDGET"])
    if int(this_hour) > budget:
        if _count_refusal(HOURLY_BUDGET, now) == 1:
            log.error(
                "reply budget: hourly budget spent, automatic replies refused until the hour ends (SMS pumping?)",
                extra={"budget": budget},
            )
        return HOURLY_BUDGET
    return None


def hour_used_key(now: datetime) -> str:
    return f"{PREFIX}hour:{now:%Y%m%d%H}"


def refused_key(now: datetime) -> str:
    return f"{PREFIX}refused:{now:%Y%m%d%H}"


def _count_refusal(reason: str, now: datetime) -> int:
    """Count a refusal in this hour's tally (for /metrics); the new count, 0 if Redis failed."""
    try:
        pipe = get_redis().pipeline()
        pipe.hincrby(refused_key(now), reason, 1)
        pipe.expire(refused_key(now), 2 * 3600)
        return int(pipe.execute()[0])
    except RedisError:
        return 0


def this_hour() -> tuple[int, dict[str, int]]:
    """(replies counted this hour, refusals this hour by reason) for /metrics."""
    now = utcnow()
    pipe = get_redis().pipeline()
    pipe.get(hour_used_key(now))
    pipe.hgetall(refused_key(now))
    used, refused = pipe.execute()
    counts = {(k.decode() if isinstance(k, bytes) else k): int(v) for k, v in refused.items()}
    return int(used or 0), {reason: counts.get(reason, 0) for reason in REASONS}
