"""Who is calling: the handset and official behind an MSISDN, cached in Redis.

This sits in the path of every USSD hop and every SMS, so a hit costs one Redis GET and a
miss one indexed query. Every change to a handset or official calls `invalidate_msisdn`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass

from sqlalchemy import case, select

from app.extensions import db
from app.models import Handset, Official, Regency
from app.models.handset import ACTIVE, BLOCKED, PROVISIONED
from app.redis_client import get_redis

log = logging.getLogger(__name__)
CACHE_TTL = 3600
NEGATIVE_TTL = 60  # unknown numbers are cached briefly: a new handset shows up within a minute
PREFIX = "melek:caller:"


@dataclass(frozen=True)
class CallerView:
    """What the webhooks need to know about a caller, and nothing secret."""

    handset_id: int
    imei: str
    status: str
    official_id: int | None
    official_name: str
    language: str
    regency_code: str
    regency_name: str
    has_pin: bool


def cache_key(msisdn: str) -> str:
    return PREFIX + msisdn


def handset_for_msisdn(msisdn: str) -> CallerView | None:
    """The caller behind `msisdn` (E.164): its active handset, else a blocked one, else None."""
    redis = get_redis()
    cached = redis.get(cache_key(msisdn))
    if cached is not None:
        data = json.loads(cached)
        return CallerView(**data) if data else None
    view = load_caller(msisdn)
    redis.set(cache_key(msisdn), json.dumps(asdict(view) if view else {}), ex=CACHE_TTL if view else NEGATIVE_TTL)
    return view


def load_caller(msisdn: str) -> CallerView | None:
    """One indexed query: the number's handset, preferring active over blocked/provisioned."""
    preference = case((Handset.status == ACTIVE, 0), (Handset.status == BLOCKED, 1), else_=2)
    row = db.session.execute(
        select(Handset, Official, Regency)
        .join(Regency, Regency.code == Handset.regency_code)
        .outerjoin(Official, Official.id == Handset.official_id)
        .where(Handset.msisdn == msisdn, Handset.status.in_((ACTIVE, BLOCKED, PROVISIONED)))
        .order_by(preference, Handset.status_changed_at.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    handset, official, regency = row
    return CallerView(
        handset_id=handset.id,
        imei=handset.imei,
        status=handset.status,
        official_id=official.id if official else None,
        official_name=official.name if official else "",
        language=official.language if official else "id",
        regency_code=regency.code,
        regency_name=regency.name,
        has_pin=bool(official and official.pin_hash),
    )


def invalidate_msisdn(*msisdns: str | None) -> None:
    """Drop cached callers; call after every change that affects them (after commit too)."""
    keys = [cache_key(m) for m in msisdns if m]
    if keys:
        get_redis().delete(*keys)


def invalidate_official(official_id: int) -> None:
    """Drop cached callers for every handset of an official (name, language, PIN changes)."""
    numbers = db.session.scalars(select(Handset.msisdn).where(Handset.official_id == official_id)).all()
    invalidate_msisdn(*numbers)
