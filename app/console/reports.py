"""Records: field reports filtered by type, regency, status and date; one report with its
answers (as the form showed them) and its messages; status updates (the official is
texted, as through the API: `app.backoffice.admin.update_status`); CSV export."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, render_template, request
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.backoffice.admin import RecordFilter, export_rows, record_in_scope, records_query, update_status
from app.backoffice.reports import label
from app.console import bp
from app.console.csvout import csv_response
from app.console.pages import back, page_args, pages_of, parse_day
from app.console.roles import current_actor, regency_choices, regency_names, regency_scope
from app.extensions import db
from app.models import Handset, InboundMessage, Official, OutboundMessage
from app.models.record import RecordStatus
from app.registry.errors import RuleError
from app.registry.queries import page
from menus.answers import field_display
from menus.reports import REPORT_TYPES
from menus.sms.router import redact

STATUS_LABELS = {"diterima": "Diterima", "diproses": "Diproses", "selesai": "Selesai", "ditolak": "Ditolak"}
EXPORT_LIMIT = 50_000


def wanted() -> tuple[RecordFilter, dict[str, str]]:
    """The filter from the query string (unknown values are ignored), and the args to keep."""
    args = request.args
    regencies = dict(regency_choices())
    kind = args.get("type") if args.get("type") in REPORT_TYPES else None
    regency = args.get("regency") if args.get("regency") in regencies else None
    status = args.get("status") if args.get("status") in tuple(RecordStatus) else None
    since, until = parse_day(args.get("date_from")), parse_day(args.get("date_to"))
    kept = {"type": kind, "regency": regency, "status": status, "date_from": since, "date_to": until}
    return RecordFilter(regency, kind, status, since, until), {k: str(v) for k, v in kept.items() if v}


@bp.route("/reports")
def reports() -> str:
    """The reports list, newest first."""
    record_filter, args = wanted()
    number, per_page = page_args()
    rows, total = page(records_query(regency_scope(), record_filter), number, per_page)
    ids = {r.official_id for (r,) in rows if r.official_id}
    officials = {o.id: o.name for o in db.session.scalars(select(Official).where(Official.id.in_(ids)))}
    return render_template(
        "console/reports.html",
        rows=[r for (r,) in rows],
        officials=officials,
        total=total,
        page=number,
        pages=pages_of(total, per_page),
        args=args,
        types={key: rt.label[0] for key, rt in REPORT_TYPES.items()},
        statuses=STATUS_LABELS,
        regencies=regency_choices(),
        names=regency_names(),
    )


@bp.route("/reports.csv")
def reports_csv() -> Response:
    """The filtered list as CSV (UTF-8 with BOM; `sep=semicolon` for `;`)."""
    record_filter, _ = wanted()
    records = db.session.scalars(records_query(regency_scope(), record_filter).limit(EXPORT_LIMIT))
    header, rows = export_rows(records)
    return csv_response("melek-laporan.csv", header, rows)


def answers_of(report_type: str, fields: dict[str, Any]) -> list[tuple[str, str]]:
    """(question, answer as the form showed it) in the form's order, then any other fields."""
    known = REPORT_TYPES.get(report_type)
    defined = {f.key: f for f in known.fields} if known else {}
    shown = [
        (f.prompt[0].rstrip(":?"), field_display(f, fields[f.key], "id")) for f in defined.values() if f.key in fields
    ]
    shown += [(key.replace("_", " ").capitalize(), str(value)) for key, value in fields.items() if key not in defined]
    return shown


def messages_about(ref: str, official_id: int | None) -> list[dict[str, Any]]:
    """The SMS in and out that name this reference, the official's own, newest first."""
    if official_id is None:
        return []
    numbers = select(Handset.msisdn).where(Handset.official_id == official_id, Handset.msisdn.is_not(None))
    outs = db.session.scalars(
        select(OutboundMessage)
        .where(OutboundMessage.official_id == official_id, OutboundMessage.text.contains(ref))
        .order_by(OutboundMessage.id.desc())
        .limit(20)
    )
    ins = db.session.scalars(
        select(InboundMessage)
        .where(InboundMessage.sender.in_(numbers), InboundMessage.text.contains(ref))
        .order_by(InboundMessage.id.desc())
        .limit(20)
    )
    items = [{"dir": "keluar", "at": m.created_at, "number": m.to, "text": m.text, "status": m.status} for m in outs]
    items += [
        {"dir": "masuk", "at": m.received_at, "number": m.sender, "text": redact(m.text), "status": m.status}
        for m in ins
    ]
    return sorted(items, key=lambda item: item["at"], reverse=True)


@bp.route("/reports/<ref>")
def report(ref: str) -> str:
    """One report: answers, status history, messages; a status update for writers."""
    record = record_in_scope(regency_scope(), ref)
    if record is None:
        abort(404)
    official = db.session.get(Official, record.official_id) if record.official_id else None
    return render_template(
        "console/report.html",
        record=record,
        official=official,
        type_label=label(record.report_type),
        answers=answers_of(record.report_type, record.fields),
        messages=messages_about(record.ref, record.official_id),
        statuses=STATUS_LABELS,
        names=regency_names(),
    )


@bp.post("/reports/<ref>/status")
def report_status(ref: str) -> Response:
    """Move the report to a new status; the official is texted."""
    status = request.form.get("status", "")
    if status not in tuple(RecordStatus):
        raise RuleError("Pilih status yang ada / choose a known status.", "status")
    note = " ".join(request.form.get("note", "").split())[:200]
    actor = current_actor()
    actor.check_write()
    if update_status(actor.regency_code, ref, status, note, actor.name) is None:
        abort(404)
    flash(f"Status diubah menjadi {STATUS_LABELS[status]}; pejabat diberi tahu lewat SMS.", "success")
    return back("console.report", ref=ref)
