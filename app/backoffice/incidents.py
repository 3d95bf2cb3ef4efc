"""The Crisis Center's handling of an incident: the board, acknowledge, assign, note, close.

Every change is audited; acknowledging and closing are conditional UPDATEs (the first
caller wins) whose reporter SMS is written in the same transaction, so the reporter is
told once each however often the buttons are pressed. Acknowledging is
`crisis.acknowledge_incident`, the same as the contacts' SMS `OK <ref>`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, case, select, update

from app.backoffice.crisis import acknowledge_incident, tell_reporter
from app.extensions import db
from app.models import AuditEvent, Incident
from app.models.base import utcnow
from app.registry import audit
from app.registry.audit import Actor
from app.registry.errors import NotFound, RuleError

SEVERITY_RANK = {"kritis": 0, "tinggi": 1, "biasa": 2}
SMS_NOTE = 60  # characters of the closing note the reporter's SMS carries (the board keeps 100)
OUTCOMES = {
    "tertangani": "Sudah ditangani",
    "dirujuk": "Dirujuk ke instansi lain",
    "palsu": "Laporan keliru/palsu",
    "duplikat": "Duplikat laporan lain",
}


def open_incidents(scope: str | None) -> Select[Any]:
    """Incidents not yet closed: unacknowledged first, then the most severe, then the newest."""
    rank = case(SEVERITY_RANK, value=Incident.severity, else_=3)
    query = select(Incident).where(Incident.closed_at.is_(None))
    if scope is not None:
        query = query.where(Incident.regency_code == scope)
    return query.order_by(Incident.acknowledged_at.is_not(None), rank, Incident.created_at.desc(), Incident.id.desc())


def incident_for(actor: Actor, ref: str) -> Incident:
    """The incident with this reference within the actor's scope (else 404)."""
    incident = db.session.scalar(select(Incident).where(Incident.ref == ref))
    if incident is None:
        raise NotFound("Insiden tidak ditemukan / incident not found.")
    actor.check_scope(incident.regency_code, "Insiden")
    return incident


def timeline(incident: Incident) -> list[AuditEvent]:
    """The incident's audit events (acknowledged, assigned, notes, closed), oldest first."""
    query = select(AuditEvent).where(AuditEvent.object_type == "incident", AuditEvent.object_id == incident.ref)
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def acknowledge(actor: Actor, ref: str) -> bool:
    """Acknowledge from the console; False if someone did already. Commits."""
    actor.check_write()
    incident = incident_for(actor, ref)
    won = acknowledge_incident(incident, actor.name)
    if won:
        audit.record(actor, "incident.acknowledge", "incident", incident.ref, incident.regency_code)
    db.session.commit()
    return won


def assign(actor: Actor, ref: str, to: str) -> Incident:
    """Name who responds (a team, a person). Commits."""
    actor.check_write()
    incident = incident_for(actor, ref)
    who = " ".join(to.split())[:80]
    if not who:
        raise RuleError("Isi siapa yang menangani / say who handles it.", "assigned_to")
    before = {"assigned_to": incident.assigned_to}
    incident.assigned_to = who
    audit.record(
        actor, "incident.assign", "incident", incident.ref, incident.regency_code, before, {"assigned_to": who}
    )
    db.session.commit()
    return incident


def add_note(actor: Actor, ref: str, note: str) -> None:
    """A note on the incident's timeline (kept in the audit log). Commits."""
    actor.check_write()
    incident = incident_for(actor, ref)
    text = " ".join(note.split())[:500]
    if not text:
        raise RuleError("Catatan kosong / the note is empty.", "note")
    audit.record(actor, "incident.note", "incident", incident.ref, incident.regency_code, None, {"note": text})
    db.session.commit()


def close(actor: Actor, ref: str, outcome: str, note: str = "") -> bool:
    """Close with an outcome (acknowledging first if nobody has); False if closed already. Commits."""
    actor.check_write()
    if outcome not in OUTCOMES:
        raise RuleError("Pilih hasil penanganan / choose an outcome.", "outcome")
    incident = incident_for(actor, ref)
    if acknowledge_incident(incident, actor.name):
        audit.record(actor, "incident.acknowledge", "incident", incident.ref, incident.regency_code)
    note = " ".join(note.split())
    said = OUTCOMES[outcome] + (f" ({note[:100]})" if note else "")
    told = OUTCOMES[outcome] + (f" ({note[:SMS_NOTE]})" if note else "")  # the reporter's SMS stays one part
    claimed = db.session.execute(
        update(Incident)
        .where(Incident.id == incident.id, Incident.closed_at.is_(None))
        .values(closed_at=utcnow(), closed_by=actor.name[:80], outcome=said[:200])
        .execution_options(synchronize_session=False)
    )
    won = claimed.rowcount == 1  # type: ignore[attr-defined]
    db.session.refresh(incident)
    if won:
        tell_reporter(incident, "incident_closed", outcome=told)
        audit.record(actor, "incident.close", "incident", incident.ref, incident.regency_code, None, {"outcome": said})
    db.session.commit()
    return won
