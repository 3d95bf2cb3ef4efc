"""The dashboard's figures, each one GROUP BY query in the database (SQLite and PostgreSQL).

Days and hours are WITA (UTC+8), the province's clock. `scope` is a regency admin's
regency (None: province-wide); SMS and USSD figures are then those of the regency's
handsets' numbers. The console's simulated sessions are left out of the USSD figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, case, distinct, func, literal, select, union
from sqlalchemy.sql.elements import ColumnElement as Column

from app.extensions import db
from app.models import Handset, InboundMessage, Incident, OutboundMessage, ReportRecord, UssdSessionEnd
from app.models.base import utcnow
from app.models.message import OutboundStatus
from menus.clock import OFFSET_HOURS, ZONE_NAME

SQLITE_SHIFT = f"+{OFFSET_HOURS} hours"
AGE_BUCKETS = (("< 1 jam", 3600), ("1-6 jam", 6 * 3600), ("6-24 jam", 86400), ("> 1 hari", None))


@dataclass(frozen=True)
class Table:
    """One chart's numbers: column names and rows (what the table and the CSV show)."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def _sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def local_day(column: Any) -> Column[Any]:
    """The WITA calendar day of a UTC timestamp, as YYYY-MM-DD text."""
    if _sqlite():
        return func.date(column, SQLITE_SHIFT)
    return func.to_char(func.timezone(ZONE_NAME, column), "YYYY-MM-DD")


def local_hour(column: Any) -> Column[Any]:
    """The WITA hour of a UTC timestamp, as 'YYYY-MM-DD HH' text."""
    if _sqlite():
        return func.strftime("%Y-%m-%d %H", column, SQLITE_SHIFT)
    return func.to_char(func.timezone(ZONE_NAME, column), "YYYY-MM-DD HH24")


def scope_numbers(scope: str) -> Select[Any]:
    """The numbers of a regency's handsets (for its SMS and USSD figures)."""
    return select(Handset.msisdn).where(Handset.regency_code == scope, Handset.msisdn.is_not(None))


def reports_per_day(scope: str | None, now: datetime, days: int = 30) -> Table:
    """Reports filed per WITA day and type, the last `days` days."""
    day = local_day(ReportRecord.created_at).label("day")
    query = select(day, ReportRecord.report_type, func.count()).where(ReportRecord.created_at >= now - timedelta(days))
    if scope is not None:
        query = query.where(ReportRecord.regency_code == scope)
    rows = db.session.execute(query.group_by(day, ReportRecord.report_type).order_by(day, ReportRecord.report_type))
    return Table(("hari", "jenis", "laporan"), [tuple(r) for r in rows])


def handsets_per_regency(scope: str | None, now: datetime, days: int = 7) -> Table:
    """Per regency: active, provisioned, blocked, all, and used (a USSD session or an SMS) lately."""
    since = now - timedelta(days)
    used_numbers = union(
        select(UssdSessionEnd.msisdn).where(UssdSessionEnd.ended_at >= since, UssdSessionEnd.simulated.is_(False)),
        select(InboundMessage.sender).where(InboundMessage.received_at >= since),
    ).subquery()

    def status_count(status: str) -> ColumnElement[int]:
        return func.count(case((Handset.status == status, 1)))

    counts = select(
        Handset.regency_code,
        status_count("active"),
        status_count("provisioned"),
        status_count("blocked"),
        func.count(),
    ).group_by(Handset.regency_code)
    used = (
        select(Handset.regency_code, func.count(distinct(Handset.id)))
        .where(Handset.msisdn.in_(select(used_numbers.c[0])))
        .group_by(Handset.regency_code)
    )
    if scope is not None:
        counts, used = counts.where(Handset.regency_code == scope), used.where(Handset.regency_code == scope)
    used_by = dict(db.session.execute(used).all())
    rows = [(*row, used_by.get(row[0], 0)) for row in db.session.execute(counts.order_by(Handset.regency_code))]
    return Table(("kab/kota", "aktif", "menunggu aktivasi", "diblokir", "semua", f"dipakai {days} hari"), rows)


def sms_per_day(scope: str | None, now: datetime, days: int = 30) -> Table:
    """SMS in and out per WITA day, with the outbound delivered and failed."""
    since = now - timedelta(days)
    in_day, out_day = (
        local_day(InboundMessage.received_at).label("day"),
        local_day(OutboundMessage.created_at).label("day"),
    )
    inbound = select(in_day, func.count()).where(InboundMessage.received_at >= since)
    outbound = select(
        out_day,
        func.count(),
        func.count(case((OutboundMessage.status == OutboundStatus.DELIVERED, 1))),
        func.count(
            case((OutboundMessage.status == OutboundStatus.FAILED, 1))
        ),  # not_sent: kept by the outbox gateway, not failed
    ).where(OutboundMessage.created_at >= since)
    if scope is not None:
        inbound = inbound.where(InboundMessage.sender.in_(scope_numbers(scope)))
        outbound = outbound.where(OutboundMessage.to.in_(scope_numbers(scope)))
    ins: dict[str, int] = {day: count for day, count in db.session.execute(inbound.group_by(in_day))}
    outs = {day: rest for day, *rest in db.session.execute(outbound.group_by(out_day))}
    rows = [(day, ins.get(day, 0), *outs.get(day, (0, 0, 0))) for day in sorted(set(ins) | set(outs))]
    return Table(("hari", "masuk", "keluar", "sampai", "gagal"), rows)


def ussd_per_hour(scope: str | None, now: datetime, hours: int = 24) -> Table:
    """USSD sessions per WITA hour by how they ended, the last `hours` hours."""
    hour = local_hour(UssdSessionEnd.ended_at).label("hour")
    query = select(hour, UssdSessionEnd.status, func.count()).where(
        UssdSessionEnd.ended_at >= now - timedelta(hours=hours), UssdSessionEnd.simulated.is_(False)
    )
    if scope is not None:
        query = query.where(UssdSessionEnd.msisdn.in_(scope_numbers(scope)))
    rows = db.session.execute(query.group_by(hour, UssdSessionEnd.status).order_by(hour, UssdSessionEnd.status))
    return Table(("jam", "akhir sesi", "sesi"), [tuple(r) for r in rows])


def median_session_seconds(scope: str | None, now: datetime, days: int = 7) -> float | None:
    """The median length of the sessions of the last `days` days (the middle row, by OFFSET)."""
    where: list[ColumnElement[bool]] = [
        UssdSessionEnd.ended_at >= now - timedelta(days),
        UssdSessionEnd.simulated.is_(False),
        UssdSessionEnd.duration_ms.is_not(None),
    ]
    if scope is not None:
        where.append(UssdSessionEnd.msisdn.in_(scope_numbers(scope)))
    total = db.session.scalar(select(func.count()).select_from(UssdSessionEnd).where(*where)) or 0
    if not total:
        return None
    middle = select(UssdSessionEnd.duration_ms).where(*where).order_by(UssdSessionEnd.duration_ms)
    values = list(db.session.scalars(middle.offset((total - 1) // 2).limit(2 - total % 2)))
    return sum(v or 0 for v in values) / len(values) / 1000


def open_incidents_by_age(scope: str | None, now: datetime) -> Table:
    """Open (not closed) incidents per regency and how long they have been open."""
    whens = [(Incident.created_at > now - timedelta(seconds=limit), label) for label, limit in AGE_BUCKETS if limit]
    bucket = case(*whens, else_=literal(AGE_BUCKETS[-1][0])).label("age")
    query = select(Incident.regency_code, bucket, func.count()).where(Incident.closed_at.is_(None))
    if scope is not None:
        query = query.where(Incident.regency_code == scope)
    rows = db.session.execute(query.group_by(Incident.regency_code, bucket).order_by(Incident.regency_code))
    return Table(("kab/kota", "umur", "insiden"), [tuple(r) for r in rows])


def delivery_rate(table: Table) -> float | None:
    """Delivered out of those that reached an end (delivered or failed), over the table's days."""
    delivered = sum(r[3] for r in table.rows)
    failed = sum(r[4] for r in table.rows)
    return delivered / (delivered + failed) if delivered + failed else None


FIGURES = {
    "reports": reports_per_day,
    "handsets": handsets_per_regency,
    "sms": sms_per_day,
    "ussd": ussd_per_hour,
    "incidents": open_incidents_by_age,
}


def all_figures(scope: str | None) -> dict[str, Any]:
    """Every table of the dashboard, by name."""
    now = utcnow()
    sms = sms_per_day(scope, now)
    return {
        "reports": reports_per_day(scope, now),
        "handsets": handsets_per_regency(scope, now),
        "sms": sms,
        "ussd": ussd_per_hour(scope, now),
        "incidents": open_incidents_by_age(scope, now),
        "median_session": median_session_seconds(scope, now),
        "delivery_rate": delivery_rate(sms),
        "failed_sends": sum(r[4] for r in sms.rows),
    }
