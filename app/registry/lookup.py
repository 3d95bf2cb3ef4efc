"""Who is calling: the handset and official behind an MSISDN, cached in Redis.

This sits in the path of every USSD hop and every SMS, so a hit costs one Redis GET and a
miss one indexed query of plain columns (no ORM objects). Every change to a handset or
official calls `invalidate_msisdn`.

The cache holds the official's PIN hash, so that the PIN hop of a USSD session needs no
SQL. It is the keyed hash the database holds (HMAC with PIN_PEPPER, which lives only in the
environment), worth nothing without the pepper. A stale entry would let an old PIN in (or a
blocked handset), so fills are versioned: invalidation bumps the number's version and
deletes the entry, and a fill writes only if the version it read before its query is still
the current one. A lookup that read the database just before a change cannot put the old
row back after the change's invalidation, however slow it was.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields
from functools import lru_cache

from flask import Flask
from redis.exceptions import RedisError
from sqlalchemy import bindparam, case, select

from app import after_commit
from app.extensions import db
from app.models import Handset, Official, Regency
from app.models.handset import HandsetStatus
from app.redis_client import get_redis

log = logging.getLogger(__name__)
CACHE_TTL = 3600
NEGATIVE_TTL = 60  # unknown numbers are cached briefly: a new handset shows up within a minute
PREFIX = "melek:caller:"
VERSION_PREFIX = "melek:callerv:"
# KEYS: entry, version; ARGV: value, ttl, the version read before the query ("" for none).
FILL = """
if (redis.call('GET', KEYS[2]) or '') == ARGV[3] then
  return redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
end
return 0
"""


@dataclass(frozen=True)
class CallerView:
    """What the webhooks need to know about a caller. `pin_hash` never shows in a repr or log."""

    handset_id: int
    imei: str
    status: str
    official_id: int | None
    official_name: str
    language: str
    regency_code: str
    regency_name: str
    has_pin: bool
    # None in entries cached before the hash was; the PIN check then reads the database.
    pin_hash: str | None = field(default=None, repr=False)


FIELDS = frozenset(f.name for f in fields(CallerView))
AFTER_COMMIT = "caller-cache"  # after-commit work: numbers whose cached caller to drop


def cache_key(msisdn: str) -> str:
    return PREFIX + msisdn


def version_key(msisdn: str) -> str:
    return VERSION_PREFIX + msisdn


@lru_cache(maxsize=4096)
def from_cache(raw: bytes | str) -> CallerView | None:
    """The caller in a cache entry; None for a number cached as unknown.

    Keys this version does not know are ignored, so a newer version's entries still read.
    Memoised: every hop of a session reads the same entry (a CallerView is immutable).
    """
    data = json.loads(raw)
    return CallerView(**{k: v for k, v in data.items() if k in FIELDS}) if data else None


def fill_args(msisdn: str, view: CallerView | None, version: bytes | str | None) -> tuple[str | int, ...]:
    """EVAL arguments that cache `view` unless the number changed since `version` was read."""
    value = json.dumps(asdict(view) if view else {}, separators=(",", ":"))
    ttl = CACHE_TTL if view else NEGATIVE_TTL
    seen = version.decode() if isinstance(version, bytes) else (version or "")
    return (FILL, 2, cache_key(msisdn), version_key(msisdn), value, ttl, seen)


def handset_for_msisdn(msisdn: str) -> CallerView | None:
    """The caller behind `msisdn` (E.164): its active handset, else a blocked one, else None."""
    redis = get_redis()
    cached, version = redis.mget(cache_key(msisdn), version_key(msisdn))
    if cached is not None:
        return from_cache(cached)
    view = load_caller(msisdn)
    redis.eval(*fill_args(msisdn, view, version))  # type: ignore[arg-type]
    return view


# The number's handset, preferring active over blocked/provisioned, as plain columns. Built
# once: building the statement costs more than running it.
_PREFERENCE = case((Handset.status == HandsetStatus.ACTIVE, 0), (Handset.status == HandsetStatus.BLOCKED, 1), else_=2)
CALLER_QUERY = (
    select(
        Handset.id,
        Handset.imei,
        Handset.status,
        Official.id,
        Official.name,
        Official.language,
        Regency.code,
        Regency.name,
        Official.pin_hash,
    )
    .join(Regency, Regency.code == Handset.regency_code)
    .outerjoin(Official, Official.id == Handset.official_id)
    .where(
        Handset.msisdn == bindparam("msisdn"),
        Handset.status.in_((HandsetStatus.ACTIVE, HandsetStatus.BLOCKED, HandsetStatus.PROVISIONED)),
    )
    .order_by(_PREFERENCE, Handset.status_changed_at.desc())
    .limit(1)
)


def load_caller(msisdn: str) -> CallerView | None:
    """One indexed query for the caller behind `msisdn`."""
    row = db.session.execute(CALLER_QUERY, {"msisdn": msisdn}).first()
    if row is None:
        return None
    handset_id, imei, status, official_id, name, language, regency_code, regency_name, pin_hash = row
    return CallerView(
        handset_id=handset_id,
        imei=imei,
        status=status,
        official_id=official_id,
        official_name=name or "",
        language=language or "id",
        regency_code=regency_code,
        regency_name=regency_name,
        has_pin=bool(pin_hash),
        pin_hash=pin_hash or None,
    )


def invalidate_msisdn(*msisdns: str | None) -> None:
    """Drop cached callers; call after every change that affects them (after commit too).

    Bumping the version also voids any fill whose query ran before this (see the module doc).
    Versions never expire: one that expired and started again could match a fill's old read.
    """
    numbers = [m for m in msisdns if m]
    if not numbers:
        return
    with get_redis().pipeline(transaction=False) as pipe:
        for msisdn in numbers:
            pipe.incr(version_key(msisdn))
            pipe.delete(cache_key(msisdn))
        pipe.execute()


def invalidate_official_after_commit(official_id: int) -> None:
    """Drop the official's cached callers once the current transaction commits (PIN changes).

    Not before: a lookup between an early invalidation and the commit would read the old
    row under the new version and cache it for CACHE_TTL.
    """
    after_commit.add(AFTER_COMMIT, numbers_of(official_id))


def numbers_of(official_id: int) -> list[str]:
    return list(db.session.scalars(select(Handset.msisdn).where(Handset.official_id == official_id)))


def _invalidate_committed(numbers: list[str]) -> None:
    try:
        invalidate_msisdn(*set(numbers))
    except RedisError:  # saved; a stale entry may live until CACHE_TTL (docs/registry.md, Known limits)
        log.error("caller cache not invalidated (Redis unavailable)", extra={"numbers": len(numbers)})


def init_app(app: Flask) -> None:
    """Invalidate the numbers queued by `invalidate_official_after_commit` once they commit."""
    del app
    after_commit.on_commit(AFTER_COMMIT, _invalidate_committed)
