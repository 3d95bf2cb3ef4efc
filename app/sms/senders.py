"""Who may make us work: a per-number rate limit and at most one refusal a day per number."""

from __future__ import annotations

from app.redis_client import get_redis

RATE_LIMIT = 10  # new messages per number per window that get handled
RATE_WINDOW = 60  # seconds
REFUSAL_TTL = 24 * 3600


def rate_key(msisdn: str) -> str:
    return f"melek:sms:rate:{msisdn}"


def within_rate_limit(msisdn: str, limit: int = RATE_LIMIT, window: int = RATE_WINDOW) -> bool:
    """Count one new message from `msisdn`; False once it is over `limit` in the window.

    The window opens at the first message (EXPIRE NX never leaves the counter without expiry).
    """
    with get_redis().pipeline(transaction=False) as pipe:
        pipe.incr(rate_key(msisdn))
        pipe.expire(rate_key(msisdn), window, nx=True)
        count = pipe.execute()[0]
    return int(count) <= limit


def first_refusal_today(msisdn: str, reason: str) -> bool:
    """True the first time in 24 hours we refuse `msisdn` for `reason` (atomic SET NX)."""
    return bool(get_redis().set(f"melek:sms:refused:{reason}:{msisdn}", b"1", nx=True, ex=REFUSAL_TTL))
