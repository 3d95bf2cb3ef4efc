"""CSV import of handsets: upload, dry run with every bad row and its reason, then import.

The rules are the CLI's and the API's (`app.registry.importer.import_csv`). A file with more
rows than API_IMPORT_SYNC_ROWS runs as the existing import job (`app.registry.import_jobs`),
with a progress bar. Rejected rows download as a CSV to fix; the activation codes of an
import download once as a CSV.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Response, abort, current_app, redirect, render_template, request, url_for

from app.console import bp, uploads
from app.console.forms import ActionForm, ImportForm
from app.console.roles import WRITERS, current_actor, current_admin, require_role
from app.registry import import_jobs
from app.registry.csvfile import COLUMNS, FileRejected, read_rows, rejected_csv, row_count
from app.registry.importer import import_csv


def sync_rows() -> int:
    return int(current_app.config["API_IMPORT_SYNC_ROWS"])


def owned_upload(upload_id: str) -> dict[str, Any]:
    found = uploads.load(upload_id, current_admin().username)
    if found is None:
        abort(404)
    assert found is not None
    return found


@bp.route("/import", methods=["GET", "POST"])
@require_role(*WRITERS)
def import_form() -> Any:
    """Upload a CSV: always a dry run first."""
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("console/import.html", form=form, columns=COLUMNS), (
            400 if request.method == "POST" else 200
        )
    upload = form.file.data
    data = upload.read()
    if not data.strip():
        form.file.errors = ["Berkas kosong / the file is empty."]
        return render_template("console/import.html", form=form, columns=COLUMNS), 422
    upload_id = uploads.keep(data, current_admin().username, upload.filename or "impor.csv")
    if row_count(data) > sync_rows():
        import_id = import_jobs.start(data, current_actor(), current_admin().username, dry_run=True, skip_invalid=False)
        uploads.update(upload_id, import_id=import_id, phase="dry_run")
    else:
        uploads.update(upload_id, result=import_csv(data, current_actor(), dry_run=True).as_dict(), phase="dry_run")
    return redirect(url_for("console.import_review", upload_id=upload_id))


@bp.route("/import/<upload_id>", methods=["GET", "POST"])
@require_role(*WRITERS)
def import_review(upload_id: str) -> Any:
    """The dry run's verdict (GET), or the import itself (POST); a job shows its progress."""
    found = owned_upload(upload_id)
    phase = found["phase"]
    if request.method == "POST" and phase in ("import", "done"):
        # A second submit (a refresh, a double click) must not run the import again: that run
        # would refuse every row as a duplicate and replace the codes still to be downloaded.
        return redirect(url_for("console.import_review", upload_id=upload_id))
    if request.method == "POST":
        skip = request.form.get("skip_invalid") == "1"
        data = found["data"]
        if row_count(data) > sync_rows():
            import_id = import_jobs.start(
                data, current_actor(), current_admin().username, dry_run=False, skip_invalid=skip
            )
            uploads.update(upload_id, import_id=import_id, phase="import", result="")
            return redirect(url_for("console.import_review", upload_id=upload_id))
        result = import_csv(data, current_actor(), skip_invalid=skip).as_dict()
        codes = with_names(data, result.pop("activation_codes"))
        uploads.keep_codes(upload_id, codes)
        uploads.update(upload_id, phase="done", result=result | {"codes": len(codes)})
        return render_template("console/import_done.html", upload=found, result=result | {"codes": len(codes)})
    if phase == "done":
        return render_template("console/import_done.html", upload=found, result=found["result"])
    job = import_jobs.status(found["import_id"]) if found["import_id"] else None
    if job is not None and job["state"] != "done":
        return render_template("console/import_progress.html", upload=found, job=job, phase=phase)
    if job is not None and phase == "dry_run" and not found["result"]:
        found["result"] = job["result"]
        uploads.update(upload_id, result=job["result"])
    if phase == "import" and job is not None:
        return render_template("console/import_done.html", upload=found, result=job["result"])
    return render_template("console/import_review.html", upload=found, result=found["result"], form=ActionForm())


@bp.route("/import/<upload_id>/progress")
@require_role(*WRITERS)
def import_progress(upload_id: str) -> Any:
    """The progress bar the page polls; once the job is done the page reloads to its result."""
    found = owned_upload(upload_id)
    job = import_jobs.status(found["import_id"]) if found["import_id"] else None
    if job is None or job["state"] == "done":
        return Response("", headers={"HX-Refresh": "true"})
    return render_template("console/_import_bar.html", upload=found, job=job)


@bp.route("/import/<upload_id>/rejected.csv")
@require_role(*WRITERS)
def import_rejected(upload_id: str) -> Response:
    """The dry run's rejected rows with their reasons, to fix and upload again."""
    found = owned_upload(upload_id)
    body = rejected_csv(found["data"], (found["result"] or {}).get("rejected", []))
    return csv_download(body, "ditolak-" + found["filename"].removesuffix(".csv") + ".csv")


@bp.route("/import/<upload_id>/codes.csv")
@require_role(*WRITERS)
def import_codes(upload_id: str) -> Any:
    """The import's activation codes, downloadable once."""
    found = owned_upload(upload_id)
    if found["import_id"] and found["phase"] == "import":
        codes = import_jobs.take_codes(found["import_id"])
        codes = with_names(found["data"], codes) if codes is not None else None
    else:
        codes = uploads.take_codes(upload_id)
    if codes is None:
        message = "Kode aktivasi impor ini sudah diunduh (hanya sekali) atau kedaluwarsa."
        return render_template("console/error.html", title="Sudah diunduh", message=message), 410
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["imei", "official_name", "activation_code"])
    for entry in codes:
        writer.writerow([entry["imei"], entry.get("official_name", ""), entry["code"]])
    return csv_download(out.getvalue(), "kode-aktivasi.csv")


def with_names(data: bytes, codes: list[dict[str, str]]) -> list[dict[str, str]]:
    """Each code with the official's name from the file (to hand the right code to the right person)."""
    try:
        names = {row.values["imei"].replace(" ", ""): row.values["official_name"] for row in read_rows(data)}
    except FileRejected:
        names = {}
    return [entry | {"official_name": names.get(entry["imei"], "")} for entry in codes]


def csv_download(body: str, filename: str) -> Response:
    safe = "".join(ch for ch in filename if ch.isalnum() or ch in "-_.") or "melek.csv"
    return Response(
        "\ufeff" + body,  # a BOM: spreadsheet programs then read the file as UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{safe}"', "Cache-Control": "no-store"},
    )
