"""The Crisis Center board: open incidents (refreshed by htmx every few seconds), one
incident's handling (acknowledge, assign, note, close) and the crisis contacts.

The work is `app.backoffice.incidents` and `app.backoffice.contacts` (the API's and the
SMS `OK <ref>` path's services); a regency admin sees and touches its own regency only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app, flash, render_template, request
from werkzeug.wrappers import Response

from app.backoffice import contacts, incidents
from app.console import bp
from app.console.pages import back
from app.console.roles import current_actor, regency_choices, regency_names, regency_scope
from app.extensions import db
from app.models import Incident, Official
from app.models.base import utcnow

POLL_SECONDS = 3
SEVERITY_LABELS = {"kritis": "Segera (kritis)", "tinggi": "Tinggi", "biasa": "Biasa"}


def since(moment: datetime | None, now: datetime) -> str:
    """How long ago, as a Crisis Center reads it: 45 dtk, 12 mnt, 3 jam 5 mnt, 2 hari."""
    if moment is None:
        return "-"
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 60:
        return f"{seconds} dtk"
    if seconds < 3600:
        return f"{seconds // 60} mnt"
    if seconds < 86400:
        return f"{seconds // 3600} jam {seconds % 3600 // 60} mnt"
    return f"{seconds // 86400} hari"


def board_rows() -> list[dict[str, Any]]:
    """The open incidents within the admin's scope, as the board shows them."""
    rows = db.session.execute(
        incidents.open_incidents(regency_scope())
        .add_columns(Official.name)
        .outerjoin(Official, Official.id == Incident.official_id)
        .limit(200)
    ).all()
    now, names = utcnow(), regency_names()
    return [
        {
            "incident": incident,
            "reporter": reporter or "-",
            "regency": names.get(incident.regency_code, incident.regency_code),
            "age": since(incident.created_at, now),
            "state": state_of(incident),
        }
        for incident, reporter in rows
    ]


def state_of(incident: Incident) -> str:
    if incident.closed_at:
        return "ditutup"
    if incident.acknowledged_at:
        return "dikonfirmasi"
    return "eskalasi" if incident.escalated_at else "baru"


@bp.route("/crisis")
def crisis() -> str:
    """The board: open incidents, newest and most urgent first; the contacts below."""
    return render_template(
        "console/crisis.html",
        rows=board_rows(),
        poll=POLL_SECONDS,
        contacts=contacts.visible_contacts(current_actor()),
        regencies=regency_choices(),
        names=regency_names(),
        escalate_minutes=int(float(current_app.config["CRISIS_ESCALATE_AFTER"]) // 60),
        severity=SEVERITY_LABELS,
    )


@bp.route("/crisis/rows")
def crisis_rows() -> str:
    """The board's rows alone (htmx polls this)."""
    return render_template("console/_crisis_rows.html", rows=board_rows(), severity=SEVERITY_LABELS)


@bp.route("/crisis/<ref>")
def incident(ref: str) -> str:
    """One incident: its facts, its timeline and what may be done with it."""
    found = incidents.incident_for(current_actor(), ref)
    reporter = db.session.get(Official, found.official_id) if found.official_id else None
    return render_template(
        "console/incident.html",
        incident=found,
        reporter=reporter,
        state=state_of(found),
        age=since(found.created_at, utcnow()),
        events=incidents.timeline(found),
        outcomes=incidents.OUTCOMES,
        names=regency_names(),
        severity=SEVERITY_LABELS,
    )


@bp.post("/crisis/<ref>/acknowledge")
def incident_acknowledge(ref: str) -> Response:
    if incidents.acknowledge(current_actor(), ref):
        flash("Insiden dikonfirmasi; pelapor diberi tahu lewat SMS.", "success")
    else:
        flash("Insiden ini sudah dikonfirmasi sebelumnya.", "info")
    return back("console.incident", ref=ref)


@bp.post("/crisis/<ref>/assign")
def incident_assign(ref: str) -> Response:
    incidents.assign(current_actor(), ref, request.form.get("assigned_to", ""))
    flash("Penanggung jawab disimpan.", "success")
    return back("console.incident", ref=ref)


@bp.post("/crisis/<ref>/note")
def incident_note(ref: str) -> Response:
    incidents.add_note(current_actor(), ref, request.form.get("note", ""))
    flash("Catatan ditambahkan.", "success")
    return back("console.incident", ref=ref)


@bp.post("/crisis/<ref>/close")
def incident_close(ref: str) -> Response:
    form = request.form
    if incidents.close(current_actor(), ref, form.get("outcome", ""), form.get("note", "")):
        flash("Insiden ditutup; pelapor diberi tahu lewat SMS.", "success")
    else:
        flash("Insiden ini sudah ditutup sebelumnya.", "info")
    return back("console.incident", ref=ref)


@bp.post("/crisis/contacts")
def contact_add() -> Response:
    form = request.form
    regency = form.get("regency") or None
    contact = contacts.add_contact(current_actor(), regency, form.get("name", ""), form.get("msisdn", ""))
    flash(f"Kontak {contact.name} ({contact.msisdn}) ditambahkan.", "success")
    return back("console.crisis", _anchor="kontak")


@bp.post("/crisis/contacts/<int:contact_id>/remove")
def contact_remove(contact_id: int) -> Response:
    contacts.remove_contact(current_actor(), contact_id)
    flash("Kontak dihapus.", "success")
    return back("console.crisis", _anchor="kontak")
