"""Admin views of the built-in records: filtered lists, one by reference, status updates,
announcements and a CSV export. `scope` is the admin's regency (None: province-wide);
anything outside it does not exist for them (the API answers 404, not 403).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, select

from app.backoffice.crisis import reachable_official
from app.backoffice.sql import SqlBackOffice
from app.extensions import db
from app.models import Announcement, Incident, Official, ReportRecord
from app.models.crisis import IncidentState
from app.registry import audit
from app.sms.outbox import queue_sms
from menus.clock import day_start
from menus.reports import status_label
from menus.sms.texts import text

EXPORT_BATCH = 500  # records per chunk of the streamed CSV export
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = ("ref", "report_type", "regency_code", "official_id", "official_name", "channel", "status", "created_at")


@dataclass(frozen=True)
class RecordFilter:
    """What an admin asks for; dates are inclusive days (UTC)."""

    regency: str | None = None
    report_type: str | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def records_query(scope: str | None, wanted: RecordFilter) -> Select[ReportRecord]:
    """Records within scope matching the filter, newest first."""
    query = select(ReportRecord)
    for column, value in (
        (ReportRecord.regency_code, scope),
        (ReportRecord.regency_code, wanted.regency),
        (ReportRecord.report_type, wanted.report_type),
        (ReportRecord.status, wanted.status),
    ):
        if value:
            query = query.where(column == value)
    if wanted.date_from:
        query = query.where(ReportRecord.created_at >= day_start(wanted.date_from))
    if wanted.date_to:
        query = query.where(ReportRecord.created_at < day_start(wanted.date_to + timedelta(days=1)))
    return query.order_by(ReportRecord.created_at.desc(), ReportRecord.id.desc())


def record_in_scope(scope: str | None, ref: str) -> ReportRecord | None:
    """The record with this reference, if the admin may see it."""
    record = db.session.scalar(select(ReportRecord).where(ReportRecord.ref == ref))
    if record is None or (scope is not None and record.regency_code != scope):
        return None
    return record


def incidents_query(scope: str | None, regency: str | None = None, state: str | None = None) -> Select[Incident]:
    """Incidents within scope; state `open` (not acknowledged), `acknowledged` or `escalated`."""
    query = select(Incident)
    for value in (scope, regency):
        if value:
            query = query.where(Incident.regency_code == value)
    if state == IncidentState.OPEN:
        query = query.where(Incident.acknowledged_at.is_(None))
    elif state == IncidentState.ACKNOWLEDGED:
        query = query.where(Incident.acknowledged_at.is_not(None))
    elif state == IncidentState.ESCALATED:
        query = query.where(Incident.escalated_at.is_not(None))
    return query.order_by(Incident.created_at.desc(), Incident.id.desc())


def update_status(scope: str | None, ref: str, status: str, note: str, by: str) -> ReportRecord | None:
    """Move a record to `status` and text the official who filed it; None if out of scope. Commits."""
    current = record_in_scope(scope, ref)
    if current is None:
        return None
    before = {"status": current.status}
    record = SqlBackOffice().set_status(ref, status, note=note, by=by)
    assert record is not None
    audit.record(by, "record.status", "record", ref, record.regency_code, before, {"status": status, "note": note})
    if reached := reachable_official(record.official_id):
        official, msisdn = reached
        language = official.language
        message = text("status_changed", language, ref=ref, status=status_label(status, language), note=note)[:160]
        queue_sms(msisdn, message, kind="status", official_id=official.id)
    db.session.commit()
    return record


def publish_announcement(
    scope: str | None, regency_code: str | None, title: str, body: str, by: str = "cli"
) -> Announcement | None:
    """Publish for a regency (or the province when None); None if outside the admin's scope. Commits."""
    if scope is not None and regency_code != scope:
        return None
    announcement = Announcement(regency_code=regency_code, title=title.strip()[:80], body=body.strip())
    db.session.add(announcement)
    db.session.flush()
    audit.record(by, "announcement.publish", "announcement", announcement.id, regency_code, None, {"title": title})
    db.session.commit()
    return announcement


def cell(value: Any) -> Any:
    """Officials' free text must not run as a spreadsheet formula (CSV injection)."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def export_rows(records: Iterable[ReportRecord]) -> tuple[list[str], list[list[Any]]]:
    """Records as a header and rows: fixed columns, then one column per field key (formula-safe)."""
    rows = list(records)
    field_keys = sorted({key for r in rows for key in r.fields})
    return [*CSV_COLUMNS, *field_keys], table_rows(field_keys, rows)


def table_rows(field_keys: list[str], rows: Sequence[ReportRecord]) -> list[list[Any]]:
    """The CSV rows of some records (their officials' names looked up in one query)."""
    ids = {r.official_id for r in rows if r.official_id}
    names = {o.id: o.name for o in db.session.scalars(select(Official).where(Official.id.in_(ids)))}
    table = []
    for r in rows:
        fixed: list[Any] = [r.ref, r.report_type, r.regency_code, r.official_id, names.get(r.official_id or 0, "")]
        fixed += [r.channel, r.status, r.created_at.isoformat(timespec="seconds")]
        table.append([cell(v) for v in (*fixed, *(r.fields.get(key, "") for key in field_keys))])
    return table


def export_csv_stream(query: Select[ReportRecord], batch: int = EXPORT_BATCH) -> Iterator[str]:
    """The records as CSV, streamed: one pass reads only the field keys, a second writes `batch`
    records at a time, so memory stays flat however many records match."""
    keys_query = query.with_only_columns(ReportRecord.fields).execution_options(yield_per=batch)
    keys = sorted({key for fields in db.session.scalars(keys_query) for key in fields})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*CSV_COLUMNS, *keys])
    for rows in db.session.scalars(query.execution_options(yield_per=batch)).partitions():
        writer.writerows(table_rows(keys, rows))
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()
