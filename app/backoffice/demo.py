"""Demo records, so that `Cek status` / `STATUS <ref>` has something to find (idempotent)."""

from __future__ import annotations

from sqlalchemy import select

from app.backoffice.base import NewReport
from app.backoffice.sql import SqlBackOffice
from app.extensions import db
from app.models import Official
from app.models.record import RecordStatus
from app.seed import DEMO_OFFICIALS

# (idempotency key, official's NIP, type, fields, status now)
DEMO_RECORDS = (
    (
        "demo-harga-1",
        DEMO_OFFICIALS[0][2],
        "harga",
        {"komoditas": "beras", "harga": 14500, "pasar": "Segiri"},
        RecordStatus.IN_PROGRESS,
    ),
    ("demo-hadir-1", DEMO_OFFICIALS[0][2], "kehadiran", {"status": "lapangan"}, RecordStatus.RECEIVED),
    ("demo-harga-2", DEMO_OFFICIALS[1][2], "harga", {"komoditas": "cabai_merah", "harga": 52000}, RecordStatus.DONE),
)


def seed_demo_records() -> list[str]:
    """File the demo records in the built-in back office; their references, first is the demo's."""
    backoffice = SqlBackOffice()
    refs = []
    for key, nip, report_type, fields, status in DEMO_RECORDS:
        official = db.session.scalar(select(Official).where(Official.nip == nip))
        if official is None:
            continue
        report = NewReport(key, report_type, official.regency_code, official.id, "ussd", dict(fields))
        filed = backoffice.file_report(report)
        if filed.created and status != RecordStatus.RECEIVED:
            backoffice.set_status(filed.ref, status, note="Data demo", by="seed")
        refs.append(filed.ref)
    db.session.commit()
    return refs
