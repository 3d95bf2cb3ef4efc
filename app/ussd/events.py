"""End-of-session notifications (POST /ussd/events): recorded in a Redis stream and the log.

A session that did not end well (`Incomplete`/`Failed`) keeps its official's draft for 30
minutes from the drop, so dialling again offers to continue it.
"""

from __future__ import annotations

import logging

from app.redis_client import get_redis
from app.ussd.store import DRAFT_TTL, draft_key

log = logging.getLogger(__name__)
EVENTS_STREAM = "melek:ussd:events"
EVENTS_KEPT = 100_000
# AT's field names; `input` and `lastAppResponse` are left out: they can carry the PIN.
RECORDED = ("sessionId", "phoneNumber", "serviceCode", "networkCode", "status", "durationInMillis", "hopsCount")


def record_event(form: dict[str, str], msisdn: str | None) -> None:
    """Record the end of a session; on a drop, keep the caller's draft for another 30 minutes."""
    entry = {name: form.get(name, "")[:64] for name in RECORDED}
    if msisdn:
        entry["phoneNumber"] = msisdn
    redis = get_redis()
    redis.xadd(EVENTS_STREAM, entry, maxlen=EVENTS_KEPT, approximate=True)  # type: ignore[arg-type]
    log.info(
        "ussd: session ended",
        extra={k: entry[k] for k in ("status", "durationInMillis", "hopsCount", "networkCode")},
    )
    if msisdn and entry["status"] != "Success":
        redis.expire(draft_key(msisdn), DRAFT_TTL, xx=True)
