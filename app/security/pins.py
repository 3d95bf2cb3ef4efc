"""PINs: a keyed hash and a lockout shared by USSD and SMS.

A 4-6 digit PIN has at most a million values, so no hash alone protects it offline; the
pepper (PIN_PEPPER, from the environment, never in the database) and the lockout do. HMAC
keeps every check in microseconds, which matters on the first hop of every USSD session.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app

from app.models import Official
from app.models.base import utcnow
from app.redis_client import get_redis

SCHEME = "hmac-sha256"


def hash_pin(official_id: int, pin: str) -> str:
    """The stored form of a PIN, bound to its official so equal PINs differ."""
    key = current_app.config["PIN_PEPPER"].encode()
    digest = hmac.new(key, f"{official_id}:{pin}".encode(), hashlib.sha256).hexdigest()
    return f"{SCHEME}${digest}"


def set_pin(official: Official, pin: str) -> None:
    """Store a new PIN (the caller commits and invalidates the caller cache)."""
    official.pin_hash = hash_pin(official.id, pin)
    official.pin_changed_at = utcnow()


def _fail_key(official_id: int) -> str:
    return f"melek:pinfail:{official_id}"


def _lock_key(official_id: int) -> str:
    return f"melek:pinlock:{official_id}"


def _lockouts_key(official_id: int) -> str:
    return f"melek:pinlockouts:{official_id}"


# One atomic step per guess, before the PIN is compared: a lock answers "locked" at once;
# otherwise the guess is counted (INCR) and only the first MAX_FAILURES of a window may be
# compared at all. A guess past them, or the last allowed one when wrong, locks: for
# LOCK_STEPS[k] after the k-th lockout of the day, then for good (HARD) until an admin
# resets the PIN. So concurrent guesses are each counted, and none slips past a lock.
# KEYS: lock, failures, lockouts. ARGV: max, window, now, history ttl, hard-after, steps...
_GUESS = """
local lock = redis.call('GET', KEYS[1])
if lock then return {-1, lock} end
local n = redis.call('INCR', KEYS[2])
if n == 1 then redis.call('EXPIRE', KEYS[2], tonumber(ARGV[2])) end
if n <= tonumber(ARGV[1]) then return {n, ''} end
return {-1, _lock(KEYS, ARGV)}
"""
_WRONG = """
local lock = redis.call('GET', KEYS[1])
if lock then return {-1, lock} end
local n = tonumber(redis.call('GET', KEYS[2]) or '0')
if n < tonumber(ARGV[1]) then return {n, ''} end
return {-1, _lock(KEYS, ARGV)}
"""
_LOCK = """
local function _lock(KEYS, ARGV)
  local k = redis.call('INCR', KEYS[3])
  redis.call('EXPIRE', KEYS[3], tonumber(ARGV[4]))
  redis.call('DEL', KEYS[2])
  if k >= tonumber(ARGV[5]) then
    redis.call('SET', KEYS[1], 'hard')
    return 'hard'
  end
  local seconds = tonumber(ARGV[5 + math.min(k, #ARGV - 5)])
  local ends = tostring(tonumber(ARGV[3]) + seconds)
  redis.call('SET', KEYS[1], ends, 'EX', seconds)
  return ends
end
"""
MAX_FAILURES = 3  # wrong PINs compared per window before a lockout
LOCK_STEPS = (timedelta(minutes=15), timedelta(hours=1), timedelta(hours=4))  # 1st, 2nd, 3rd lockout
HARD_AFTER = 4  # the 4th lockout within LOCKOUT_MEMORY locks until an admin resets the PIN (12 guesses a day)
LOCKOUT_MEMORY = timedelta(days=1)
HARD_LOCK = datetime.max.replace(tzinfo=UTC)  # "until an admin resets the PIN"


@dataclass(frozen=True)
class PinCheck:
    """The outcome of one PIN guess: right, or wrong with tries left, or locked until a moment."""

    ok: bool
    left: int = 0
    locked_until: datetime | None = None


def verify_pin(official_id: int, stored_hash: str | None, pin: str) -> PinCheck:
    """The one PIN check of USSD and SMS: count the guess atomically, then compare, then lock if due."""
    keys = (_lock_key(official_id), _fail_key(official_id), _lockouts_key(official_id))
    redis = get_redis()
    guess, lock = redis.eval(_LOCK + _GUESS, 3, *keys, *_lock_args())
    if int(guess) < 0:
        return PinCheck(ok=False, locked_until=_as_time(lock))
    if stored_hash and hmac.compare_digest(stored_hash, hash_pin(official_id, pin)):
        redis.delete(_fail_key(official_id))
        return PinCheck(ok=True)
    failures, lock = redis.eval(_LOCK + _WRONG, 3, *keys, *_lock_args())
    if int(failures) < 0:
        return PinCheck(ok=False, locked_until=_as_time(lock))
    return PinCheck(ok=False, left=max(MAX_FAILURES - int(failures), 1))


def _lock_args() -> tuple[int | float, ...]:
    steps = (int(step.total_seconds()) for step in LOCK_STEPS)
    window = int(LOCK_STEPS[0].total_seconds())
    return MAX_FAILURES, window, utcnow().timestamp(), int(LOCKOUT_MEMORY.total_seconds()), HARD_AFTER, *steps


def reset_lockout(official_id: int) -> None:
    """Forget wrong PINs, lockouts and any lock (an admin's PIN reset)."""
    get_redis().delete(_fail_key(official_id), _lock_key(official_id), _lockouts_key(official_id))


def locked_until(official_id: int) -> datetime | None:
    """When the official's lockout ends (HARD_LOCK: when an admin resets it), or None if not locked."""
    return _as_time(get_redis().get(_lock_key(official_id)))


def _as_time(raw: bytes | str | None) -> datetime | None:
    if not raw:
        return None
    text = raw.decode() if isinstance(raw, bytes) else raw
    return HARD_LOCK if text == "hard" else datetime.fromtimestamp(float(text), UTC)
