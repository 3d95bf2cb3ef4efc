"""Admin views of the records: scoped lists, one by ref, status updates that text, CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

from flask import Flask
from sqlalchemy import select

from app.backoffice.admin import (
    RecordFilter,
    export_csv_stream,
    incidents_query,
    publish_announcement,
    record_in_scope,
    records_query,
    update_status,
)
from app.extensions import db
from app.models import OutboundMessage, ReportRecord
from app.models.base import utcnow
from menus.clock import WITA, day_start
from tests.backoffice_helpers import BUDI_NIP, MARIA_NIP, SITI_NIP, payload
from workers.reports import file_report


def file_some() -> dict[str, str]:
    refs = {
        "siti-harga": file_report(payload(SITI_NIP, key="a1", notify_msisdn=None))["ref"],
        "siti-bencana": file_report(payload(SITI_NIP, key="a2", report_type="bencana", notify_msisdn=None))["ref"],
        "budi-harga": file_report(payload(BUDI_NIP, key="a3", notify_msisdn=None))["ref"],
    }
    return refs


def refs_of(scope: str | None, wanted: RecordFilter) -> set[str]:
    return {r.ref for r in db.session.scalars(records_query(scope, wanted))}


def test_lists_filter_by_regency_type_status_and_date(demo: Flask) -> None:
    refs = file_some()
    assert refs_of(None, RecordFilter()) == set(refs.values())
    assert refs_of(None, RecordFilter(regency="6403")) == {refs["budi-harga"]}
    assert refs_of(None, RecordFilter(report_type="bencana")) == {refs["siti-bencana"]}
    assert refs_of(None, RecordFilter(status="selesai")) == set()
    today = utcnow().astimezone(WITA).date()  # the officials' today
    assert refs_of(None, RecordFilter(date_from=today, date_to=today)) == set(refs.values())
    assert refs_of(None, RecordFilter(date_to=today - timedelta(days=1))) == set()


def test_date_filters_are_days_on_the_officials_clock(demo: Flask) -> None:
    refs = file_some()
    early = db.session.scalars(select(ReportRecord).where(ReportRecord.ref == refs["siti-harga"])).one()
    early.created_at = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)  # 07:30 WITA on 11 March
    db.session.commit()
    assert refs_of(None, RecordFilter(date_from=date(2026, 3, 11), date_to=date(2026, 3, 11))) == {early.ref}
    assert refs_of(None, RecordFilter(date_from=date(2026, 3, 10), date_to=date(2026, 3, 10))) == set()
    assert day_start(date(2026, 3, 11)) == datetime(2026, 3, 10, 16, 0, tzinfo=UTC)


def test_a_regency_admin_sees_only_their_regency(demo: Flask) -> None:
    refs = file_some()
    assert refs_of("6472", RecordFilter()) == {refs["siti-harga"], refs["siti-bencana"]}
    assert refs_of("6472", RecordFilter(regency="6403")) == set()  # asking for another gives nothing
    assert record_in_scope("6472", refs["budi-harga"]) is None
    assert record_in_scope("6403", refs["budi-harga"]) is not None
    assert record_in_scope(None, refs["budi-harga"]) is not None
    assert [i.ref for i in db.session.scalars(incidents_query("6403"))] == []
    assert [i.ref for i in db.session.scalars(incidents_query("6472", state="open"))] == [refs["siti-bencana"]]


def test_status_update_texts_the_official_who_filed(demo: Flask) -> None:
    refs = file_some()
    record = update_status("6472", refs["siti-harga"], "diproses", "Dicek petugas pasar", "admin-smd")
    assert record is not None and [h.status for h in record.history] == ["diterima", "diproses"]
    sms = db.session.scalars(select(OutboundMessage)).one()
    assert sms.to == "+6281350000001"
    assert sms.text == f"Ref {refs['siti-harga']} kini diproses. Dicek petugas pasar"
    assert update_status("6472", refs["budi-harga"], "selesai", "", "admin-smd") is None  # not theirs


def test_status_update_speaks_the_officials_language(demo: Flask) -> None:
    ref = file_report(payload(MARIA_NIP, key="en-9", notify_msisdn=None))["ref"]
    update_status(None, ref, "selesai", "", "province")
    assert db.session.scalars(select(OutboundMessage.text)).one() == f"Ref {ref} is now done."


def test_announcements_only_for_the_admins_own_regency(demo: Flask) -> None:
    assert publish_announcement("6472", "6472", "Jalan ditutup", "Jl. Juanda ditutup") is not None
    assert publish_announcement("6472", "6403", "X", "Y") is None
    assert publish_announcement("6472", None, "X", "Y") is None  # province-wide is the province's
    assert publish_announcement(None, None, "Libur", "Libur nasional") is not None


def test_csv_export_has_one_column_per_field_and_defuses_formulas(demo: Flask) -> None:
    file_report(payload(SITI_NIP, key="c1", notify_msisdn=None, fields={"komoditas": "beras", "pasar": "=cmd()"}))
    rows = list(csv.DictReader(io.StringIO("".join(export_csv_stream(records_query("6472", RecordFilter()))))))
    assert len(rows) == 1
    assert rows[0]["official_name"] == "Siti Rahmawati" and rows[0]["komoditas"] == "beras"
    assert rows[0]["pasar"] == "'=cmd()"
    assert date.fromisoformat(rows[0]["created_at"][:10]) == utcnow().date()
