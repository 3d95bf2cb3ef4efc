"""/api/v1 back-office records: reports, one record by ref, status updates, incidents, CSV.

A regency admin sees only their own regency; another regency's record is a 404.
"""

from __future__ import annotations

from typing import Any

from flask import Response, stream_with_context
from flask.views import MethodView
from werkzeug.exceptions import NotFound

from app.api.auth import authenticate, current_actor, require_writer
from app.api.blueprint import Blueprint
from app.api.records_schemas import (
    ExportFilter,
    IncidentFilter,
    IncidentOut,
    RecordDetail,
    RecordOut,
    ReportFilter,
    StatusIn,
)
from app.api.schemas import page_of
from app.backoffice.admin import (
    RecordFilter,
    export_csv_stream,
    incidents_query,
    record_in_scope,
    records_query,
    update_status,
)
from app.models import ReportRecord
from app.registry.queries import page, resolve_regency

blp = Blueprint("records", __name__, url_prefix="/api/v1", description="Back-office records and incidents")
blp.before_request(authenticate)
NOT_FOUND = "Data tidak ditemukan / record not found."


def record_filter(args: dict[str, Any]) -> RecordFilter:
    regency = resolve_regency(args["regency"]) if args.get("regency") else None
    return RecordFilter(regency, args.get("type"), args.get("status"), args.get("date_from"), args.get("date_to"))


def record_dict(record: ReportRecord, history: bool = False) -> dict[str, Any]:
    names = ("ref", "report_type", "regency_code", "official_id", "channel", "status", "fields")
    data = {name: getattr(record, name) for name in (*names, "created_at", "updated_at")}
    if history:
        data["history"] = [
            {"status": h.status, "note": h.note, "changed_by": h.changed_by, "changed_at": h.changed_at}
            for h in record.history
        ]
    return data


@blp.route("/reports")
class Reports(MethodView):
    @blp.arguments(ReportFilter, location="query")
    @blp.response(200, page_of(RecordOut))
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List field reports (filter by regency, type, status, dates), newest first."""
        query = records_query(current_actor().regency_code, record_filter(args))
        rows, total = page(query, args["page"], args["per_page"])
        items = [record_dict(record) for (record,) in rows]
        return {"items": items, "page": args["page"], "per_page": args["per_page"], "total": total}


@blp.route("/reports/export.csv")
class ReportsExport(MethodView):
    @blp.arguments(ExportFilter, location="query")
    @blp.response(200, {"type": "string"}, content_type="text/csv")
    def get(self, args: dict[str, Any]) -> Response:
        """CSV of the reports (per regency and period) for spreadsheets."""
        query = records_query(current_actor().regency_code, record_filter(args))
        headers = {"Content-Disposition": 'attachment; filename="melek-reports.csv"'}
        return Response(stream_with_context(export_csv_stream(query)), mimetype="text/csv", headers=headers)


@blp.route("/records/<ref>")
class RecordItem(MethodView):
    @blp.response(200, RecordDetail)
    def get(self, ref: str) -> dict[str, Any]:
        """One record with its status history."""
        record = record_in_scope(current_actor().regency_code, ref)
        if record is None:
            raise NotFound(NOT_FOUND)
        return record_dict(record, history=True)


@blp.route("/records/<ref>/status")
class RecordStatus(MethodView):
    @blp.arguments(StatusIn)
    @blp.response(200, RecordDetail)
    def post(self, body: dict[str, Any], ref: str) -> dict[str, Any]:
        """Move a record to a new status; the official who filed it gets an SMS."""
        require_writer()
        actor = current_actor()
        record = update_status(actor.regency_code, ref, body["status"], body["note"], actor.name)
        if record is None:
            raise NotFound(NOT_FOUND)
        return record_dict(record, history=True)


@blp.route("/incidents")
class Incidents(MethodView):
    @blp.arguments(IncidentFilter, location="query")
    @blp.response(200, page_of(IncidentOut))
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Disaster/emergency incidents: open, acknowledged or escalated."""
        regency = resolve_regency(args["regency"]) if args.get("regency") else None
        query = incidents_query(current_actor().regency_code, regency, args.get("state"))
        rows, total = page(query, args["page"], args["per_page"])
        return {"items": [i for (i,) in rows], "page": args["page"], "per_page": args["per_page"], "total": total}
