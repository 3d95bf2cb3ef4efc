"""End-of-session notifications (POST /ussd/events): one `ussd_session_end` row each, and a log line.

The rows feed the console's dashboard (sessions per hour, how they ended, their length, the
handsets used). A session that did not end well (`Incomplete`/`Failed`) keeps its
official's draft for 30 minutes from the drop, so dialling again offers to continue it.
"""

from __future__ import annotations

import logging

from app.extensions import db
from app.models import UssdSessionEnd
from app.redis_client import get_redis
from app.ussd.store import DRAFT_TTL, draft_key

log = logging.getLogger(__name__)
# AT's field names; `input` and `lastAppResponse` are left out: they can carry the PIN.
RECORDED = ("sessionId", "phoneNumber", "serviceCode", "networkCode", "status", "durationInMillis", "hopsCount")


def whole(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def record_event(form: dict[str, str], msisdn: str | None, simulated: bool = False) -> UssdSessionEnd:
    """Record the end of a session (commits); on a drop, keep the caller's draft for another 30 minutes."""
    entry = {name: form.get(name, "")[:64] for name in RECORDED}
    if msisdn:
        entry["phoneNumber"] = msisdn
    ended = UssdSessionEnd(
        session_id=entry["sessionId"],
        msisdn=entry["phoneNumber"][:32],
        status=entry["status"][:16],
        duration_ms=whole(entry["durationInMillis"]),
        hops=whole(entry["hopsCount"]),
        network_code=entry["networkCode"][:16],
        simulated=simulated,
    )
    db.session.add(ended)
    db.session.commit()
    log.info(
        "ussd: session ended",
        extra={k: entry[k] for k in ("status", "durationInMillis", "hopsCount", "networkCode")}
        | {"simulated": simulated},
    )
    if msisdn and entry["status"] != "Success":
        get_redis().expire(draft_key(msisdn), DRAFT_TTL, xx=True)
    return ended
