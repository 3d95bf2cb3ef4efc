"""The built-in back office: records in Melek's own database (BACKOFFICE=sql, the default).

Writes join the caller's transaction (the filing job commits the record, its receipt and
the confirmation SMS together), so a crash before the commit leaves nothing behind.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.backoffice.base import Filed, NewReport, RecordView, StatusEntry, TransientError
from app.extensions import db
from app.models import ReportRecord, StatusChange
from app.models.base import utcnow
from app.models.record import RecordStatus
from menus.refs import make_reference

REF_BODY_DIGITS = 9  # + check digit = 10 digits: a billion references, drawn at random
REF_ATTEMPTS = 5


def new_reference() -> str:
    """A random reference: nothing in it says which regency or how many came before."""
    return make_reference(f"{secrets.randbelow(10**REF_BODY_DIGITS):0{REF_BODY_DIGITS}d}")


def record_view(record: ReportRecord) -> RecordView:
    """The interface's view of a stored record."""
    return RecordView(
        ref=record.ref,
        report_type=record.report_type,
        regency_code=record.regency_code,
        status=record.status,
        fields=dict(record.fields),
        created_at=record.created_at,
        official_id=record.official_id,
        history=[StatusEntry(h.status, h.changed_at, h.note) for h in record.history],
    )


class SqlBackOffice:
    """Field reports, status history and announcements in SQL tables."""

    def file_report(self, report: NewReport) -> Filed:
        """Insert the record (in a savepoint) unless its idempotency key is known."""
        for _ in range(REF_ATTEMPTS):
            existing = self._by_key(report.idempotency_key)
            if existing is not None:
                return Filed(existing.ref, created=False)
            try:
                with db.session.begin_nested():
                    record = ReportRecord(
                        ref=new_reference(),
                        idempotency_key=report.idempotency_key,
                        report_type=report.report_type,
                        regency_code=report.regency_code,
                        official_id=report.official_id,
                        channel=report.channel,
                        status=RecordStatus.RECEIVED,
                        fields=report.fields,
                    )
                    record.history.append(StatusChange(status=RecordStatus.RECEIVED, changed_by="melek"))
                    db.session.add(record)
                return Filed(record.ref, created=True)
            except IntegrityError:
                # Either another worker filed the same key (found on the next pass) or the
                # random reference collided (a new one is drawn).
                continue
        raise TransientError("could not allocate a unique reference")

    def find_record(self, ref: str) -> RecordView | None:
        record = db.session.scalar(select(ReportRecord).where(ReportRecord.ref == ref))
        return record_view(record) if record else None

    def set_status(self, ref: str, status: str, note: str = "", by: str = "") -> ReportRecord | None:
        """Move a record to a new status (admins); None if unknown. The caller commits."""
        if status not in tuple(RecordStatus):
            raise ValueError(f"status must be one of {', '.join(tuple(RecordStatus))}")
        record = db.session.scalar(select(ReportRecord).where(ReportRecord.ref == ref))
        if record is None:
            return None
        record.status = status
        record.history.append(StatusChange(status=status, note=note[:200], changed_by=by[:80], changed_at=utcnow()))
        return record

    def _by_key(self, key: str) -> ReportRecord | None:
        return db.session.scalar(select(ReportRecord).where(ReportRecord.idempotency_key == key))
