"""POST /api/v1/handsets/import: the CLI's import over HTTP; large files run as a job."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request, url_for
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, fields

from app.api.auth import authenticate, current_actor, current_admin
from app.api.blueprint import Blueprint
from app.models.admin import AdminRole
from app.registry import import_jobs
from app.registry.importer import import_csv

blp = Blueprint("imports", __name__, url_prefix="/api/v1/handsets", description="CSV imports of handsets")
blp.before_request(authenticate)


class ImportArgs(Schema):
    dry_run = fields.Boolean(load_default=False)
    skip_invalid = fields.Boolean(load_default=False)


class ImportResultOut(Schema):
    imported = fields.Integer()
    valid = fields.Integer()
    dry_run = fields.Boolean()
    rejected = fields.List(fields.Dict(), metadata={"description": "[{line, field, error}]"})
    activation_codes = fields.List(fields.Dict(), metadata={"description": "[{imei, code}], shown once"})


class ImportRefusedOut(ImportResultOut):
    """422: the file's result (nothing imported), or, for bad query parameters, the error shape."""

    error = fields.Integer()
    message = fields.String()
    errors = fields.List(fields.Dict())


CSV_BODY = {
    "required": True,
    "content": {
        "text/csv": {"schema": {"type": "string"}},
        "multipart/form-data": {
            "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        },
    },
}


class ImportStatusOut(Schema):
    id = fields.String()
    state = fields.String(metadata={"description": "queued, running or done"})
    total = fields.Integer()
    done = fields.Integer()
    result = fields.Nested(ImportResultOut, allow_none=True)
    url = fields.String()


def uploaded_file() -> bytes:
    """The CSV from a multipart `file` field, or the raw body (text/csv)."""
    upload = request.files.get("file")
    data = upload.read() if upload is not None else request.get_data()
    if not data.strip():
        abort(400, message="Berkas CSV kosong / send the CSV as multipart 'file' or as the body.")
    return data


@blp.route("/import")
class Import(MethodView):
    @blp.arguments(ImportArgs, location="query")
    @blp.response(200, ImportResultOut)
    @blp.alt_response(202, schema=ImportStatusOut, description="Large file: imported by a job")
    @blp.alt_response(422, schema=ImportRefusedOut, description="Refused: nothing imported")
    @blp.doc(requestBody=CSV_BODY)
    def post(self, args: dict[str, Any]) -> Any:
        """Import handsets from CSV with the same rules and result as `flask handsets import`."""
        actor, data = current_actor(), uploaded_file()
        actor.check_write()
        if len(data.splitlines()) > int(current_app.config["API_IMPORT_SYNC_ROWS"]):
            import_id = import_jobs.start(data, actor, current_admin().username, **args)
            answer = (import_jobs.status(import_id) or {}) | {
                "url": url_for("imports.ImportStatus", import_id=import_id)
            }
            return jsonify(ImportStatusOut().dump(answer)), 202  # a Response: not the 200 schema
        result = import_csv(data, actor, **args)
        refused = bool(result.rejected) and (not args["skip_invalid"] or not result.valid)
        return result.as_dict(), 422 if refused else 200


@blp.route("/imports/<import_id>")
class ImportStatus(MethodView):
    @blp.response(200, ImportStatusOut)
    def get(self, import_id: str) -> dict[str, Any]:
        """Progress and, when done, the result of an import job (its uploader or a province admin)."""
        answer = import_jobs.status(import_id)
        admin = current_admin()
        if answer is None or (answer["owner"] != admin.username and admin.role != AdminRole.PROVINCE):
            abort(404, message="Impor tidak ditemukan / import not found.")
            raise AssertionError  # abort() raised
        if "result" in answer and answer["owner"] == admin.username:
            codes = import_jobs.take_codes(import_id)  # shown once, to the uploader only
            if codes is not None:
                answer["result"]["activation_codes"] = codes
        return answer | {"url": url_for("imports.ImportStatus", import_id=import_id)}
