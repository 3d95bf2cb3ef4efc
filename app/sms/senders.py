"""Who may make us work: a per-number rate limit and at most one refusal a day per number."""

from __future__ import annotations

from app.redis_client import get_redis

RATE_LIMIT = 10  # messages per number per window that reach the workers
RATE_WINDOW = 60  # seconds
REFUSAL_TTL = 24 * 3600


def over_rate_limit(msisdn: str, limit: int = RATE_LIMIT, window: int = RATE_WINDOW) -> bool:
    """Count one message from `msisdn`; True once it passes `limit` within `window` seconds.

    The window opens at the number's first message: INCR, then EXPIRE NX (Redis 7) sets the
    expiry only on a key that has none, so a key can never be left without one.
    """
    key = f"melek:sms:rate:{msisdn}"
    with get_redis().pipeline() as pipe:
        pipe.incr(key)
        pipe.expire(key, window, nx=True)
        count = int(pipe.execute()[0])
    return count > limit


def first_refusal_today(msisdn: str, reason: str) -> bool:
    """True the first time in 24 hours we refuse `msisdn` for `reason` (atomic SET NX)."""
    return bool(get_redis().set(f"melek:sms:refused:{reason}:{msisdn}", b"1", nx=True, ex=REFUSAL_TTL))
