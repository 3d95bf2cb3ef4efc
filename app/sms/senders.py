"""Who may make us work: a per-number rate limit (counted by app.sms.inbox.admit) and at most
one refusal a day per number."""

from __future__ import annotations

from app.redis_client import get_redis

RATE_LIMIT = 10  # messages per number per window that reach the workers
RATE_WINDOW = 60  # seconds
REFUSAL_TTL = 24 * 3600


def rate_key(msisdn: str) -> str:
    """The per-number counter; app.sms.inbox.admit counts and expires it with the push."""
    return f"melek:sms:rate:{msisdn}"


def first_refusal_today(msisdn: str, reason: str) -> bool:
    """True the first time in 24 hours we refuse `msisdn` for `reason` (atomic SET NX)."""
    return bool(get_redis().set(f"melek:sms:refused:{reason}:{msisdn}", b"1", nx=True, ex=REFUSAL_TTL))
