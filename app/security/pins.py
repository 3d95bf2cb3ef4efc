"""PINs: a keyed hash and a lockout shared by USSD and SMS.

A 4-6 digit PIN has at most a million values, so no hash alone protects it offline; the
pepper (PIN_PEPPER, from the environment, never in the database) and the lockout do. HMAC
keeps every check in microseconds, which matters on the first hop of every USSD session.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from flask import current_app

from app.models import Official
from app.models.base import utcnow
from app.redis_client import get_redis

MAX_FAILURES = 3
LOCK_FOR = timedelta(minutes=15)
SCHEME = "hmac-sha256"


def hash_pin(official_id: int, pin: str) -> str:
    """The stored form of a PIN, bound to its official so equal PINs differ."""
    key = current_app.config["PIN_PEPPER"].encode()
    digest = hmac.new(key, f"{official_id}:{pin}".encode(), hashlib.sha256).hexdigest()
    return f"{SCHEME}${digest}"


def check_pin(official: Official, pin: str) -> bool:
    """True when `pin` is the official's PIN (constant-time compare)."""
    if not official.pin_hash:
        return False
    return hmac.compare_digest(official.pin_hash, hash_pin(official.id, pin))


def set_pin(official: Official, pin: str) -> None:
    """Store a new PIN (the caller commits and invalidates the caller cache)."""
    official.pin_hash = hash_pin(official.id, pin)
    official.pin_changed_at = utcnow()


def _fail_key(official_id: int) -> str:
    return f"melek:pinfail:{official_id}"


def _lock_key(official_id: int) -> str:
    return f"melek:pinlock:{official_id}"


def locked_until(official_id: int) -> datetime | None:
    """When the official's lockout ends, or None if not locked."""
    return _as_time(get_redis().get(_lock_key(official_id)))


def _as_time(raw: bytes | str | None) -> datetime | None:
    return datetime.fromtimestamp(float(raw), UTC) if raw else None


def register_failure(official_id: int) -> datetime | None:
    """Count a wrong PIN; on the third within the window, lock and return the lock's end."""
    redis = get_redis()
    with redis.pipeline() as pipe:
        pipe.incr(_fail_key(official_id))
        pipe.expire(_fail_key(official_id), int(LOCK_FOR.total_seconds()))
        failures = int(pipe.execute()[0])
    if failures < MAX_FAILURES:
        return None
    until = utcnow() + LOCK_FOR
    with redis.pipeline() as pipe:
        pipe.set(_lock_key(official_id), str(until.timestamp()), ex=int(LOCK_FOR.total_seconds()))
        pipe.delete(_fail_key(official_id))
        pipe.execute()
    return until


def lock_keys(official_id: int) -> tuple[str, str]:
    """The keys `lock_status` reads (for a caller that reads them on a connection of its own)."""
    return _lock_key(official_id), _fail_key(official_id)


def read_lock_status(raw_lock: bytes | str | None, raw_failures: bytes | str | None) -> tuple[datetime | None, int]:
    """(lock end or None, wrong PINs so far) from the values at `lock_keys`."""
    return _as_time(raw_lock), int(raw_failures) if raw_failures else 0


def lock_status(official_id: int) -> tuple[datetime | None, int]:
    """(lock end or None, wrong PINs so far) in one round trip, for the PIN check's fast path."""
    return read_lock_status(*get_redis().mget(*lock_keys(official_id)))


def failure_count(official_id: int) -> int:
    """Wrong PINs counted so far in the current window (0 after a lock or a right PIN)."""
    return lock_status(official_id)[1]


def clear_failures(official_id: int) -> None:
    """Forget wrong PINs after a right one."""
    get_redis().delete(_fail_key(official_id))
