"""Bulk rows for dashboard tests: handsets, a year of reports, SMS and USSD sessions (core INSERTs)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, insert

from app.extensions import db
from app.models import Handset, InboundMessage, OutboundMessage, ReportRecord, UssdSessionEnd
from app.models.base import utcnow
from bench.registry_data import REGENCY_CODES, imei, msisdn

STATUS_CYCLE = ("active",) * 8 + ("provisioned", "blocked")  # 80 % active, 10 % each of the others
TYPES = ("harga", "bencana", "infrastruktur")
ENDS = ("Success",) * 7 + ("Incomplete",) * 2 + ("Failed",)
OUT_STATUSES = ("delivered",) * 8 + ("failed", "sent")


def bulk(model: Any, rows: list[dict[str, Any]], chunk: int = 5000) -> None:
    table: Table = model.__table__
    for start in range(0, len(rows), chunk):
        db.session.execute(insert(table), rows[start : start + chunk])


def handsets(per_regency: int = 1000) -> int:
    """`per_regency` handsets in each of the 14 regencies; handset n has number msisdn(n)."""
    now = utcnow()
    rows = []
    for r, code in enumerate(REGENCY_CODES):
        for k in range(per_regency):
            n = r * per_regency + k
            status = STATUS_CYCLE[n % len(STATUS_CYCLE)]
            rows.append(
                {"imei": imei(n), "tac": imei(n)[:8], "msisdn": msisdn(n), "regency_code": code, "status": status}
                | {"created_at": now, "updated_at": now, "status_changed_at": now}
            )
    bulk(Handset, rows)
    return len(rows)


def spread(count: int, days: int, now: datetime) -> list[datetime]:
    """`count` moments spread evenly over the last `days` days (the newest a minute ago)."""
    step = days * 86400 / count
    return [now - timedelta(seconds=60 + i * step) for i in range(count)]


def traffic(now: datetime, days: int, per_day: dict[str, int], numbers: int) -> None:
    """Reports, SMS in and out, and ended USSD sessions over `days` days, from `numbers` handsets."""
    reports = [
        {
            "ref": f"9{i:09d}",
            "idempotency_key": f"bulk-{i}",
            "report_type": TYPES[i % 3],
            "regency_code": REGENCY_CODES[i % 14],
        }
        | {"channel": "ussd", "status": "diterima", "fields": {}, "created_at": at, "updated_at": at}
        for i, at in enumerate(spread(per_day["reports"] * days, days, now))
    ]
    bulk(ReportRecord, reports)
    inbound = [
        {"gateway_id": f"bulk-in-{i}", "sender": msisdn(i * 7 % numbers), "text": "INFO", "received_at": at}
        | {"status": "handled"}
        for i, at in enumerate(spread(per_day["sms_in"] * days, days, now))
    ]
    bulk(InboundMessage, inbound)
    outbound = [
        {"to": msisdn(i * 11 % numbers), "text": "Balasan", "status": OUT_STATUSES[i % 10], "created_at": at}
        | {"encoding": "GSM-7", "parts": 1, "kind": "reply", "attempts": 1}
        for i, at in enumerate(spread(per_day["sms_out"] * days, days, now))
    ]
    bulk(OutboundMessage, outbound)
    sessions = [
        {"session_id": f"bulk-{i}", "msisdn": msisdn(i * 13 % numbers), "status": ENDS[i % 10]}
        | {
            "duration_ms": 20_000 + (i % 50) * 1000,
            "hops": 4,
            "network_code": "51010",
            "ended_at": at,
            "simulated": False,
        }
        for i, at in enumerate(spread(per_day["ussd"] * days, days, now))
    ]
    bulk(UssdSessionEnd, sessions)
