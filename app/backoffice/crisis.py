"""Crisis Center: open an incident for a disaster report, alert, acknowledge, escalate.

Each state change is a conditional UPDATE whose row count says whether this caller won,
and the SMS it causes is written in the same transaction (the outbox), so a rerun after
a crash or a second worker never alerts or escalates twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, or_, select, update

from app.extensions import db
from app.models import CrisisContact, Handset, Incident, Official, Regency
from app.models.base import utcnow
from app.models.handset import HandsetStatus
from app.registry import audit
from app.sms.outbox import queue_sms
from menus.refs import normalize_reference
from menus.sms.texts import text

log = logging.getLogger(__name__)

SEVERITY = {"segera": "kritis", "tinggi": "tinggi"}  # urgency answer -> incident severity


def open_incident(ref: str, regency_code: str, official_id: int | None, fields: dict[str, Any]) -> Incident:
    """Add the incident for a disaster report to the session (the filing job commits it)."""
    affected = fields.get("terdampak")
    incident = Incident(
        ref=ref,
        regency_code=regency_code,
        official_id=official_id,
        kind=str(fields.get("jenis", "darurat")).replace("_", " ")[:40],
        place=str(fields.get("lokasi") or fields.get("keterangan") or "")[:80],
        affected=int(affected) if isinstance(affected, int | str) and str(affected).isdigit() else None,
        severity=SEVERITY.get(str(fields.get("urgensi", "")), "biasa"),
    )
    db.session.add(incident)
    return incident


def contacts_for(regency_code: str | None) -> list[CrisisContact]:
    """The regency's contacts and the province's (regency None: the province's only)."""
    scope: ColumnElement[bool] = CrisisContact.regency_code.is_(None)
    if regency_code is not None:
        scope = or_(scope, CrisisContact.regency_code == regency_code)
    return list(db.session.scalars(select(CrisisContact).where(scope).order_by(CrisisContact.id)))


def alert_text(incident: Incident, prefix: str = "crisis_new") -> str:
    """Reference, kind, place, people affected and reporter, in one SMS."""
    regency = db.session.get(Regency, incident.regency_code)
    official = db.session.get(Official, incident.official_id) if incident.official_id else None
    if incident.affected is not None:
        people = text("crisis_people", "id", count=incident.affected)
    else:
        people = text("crisis_people_unknown", "id")
    where = ", ".join(p for p in (incident.place, regency.name if regency else incident.regency_code) if p)
    return text(
        "crisis_alert",
        "id",
        prefix=text(prefix, "id"),
        kind=incident.kind.upper(),
        severity=incident.severity,
        where=where,
        people=people,
        reporter=official.name if official else "-",
        ref=incident.ref,
    )


def send_alert(incident_id: int) -> int:
    """Alert the contacts once; returns how many SMS were queued (0 if already alerted). Commits."""
    claimed = db.session.execute(
        update(Incident).where(Incident.id == incident_id, Incident.alerted_at.is_(None)).values(alerted_at=utcnow())
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return 0  # alerted already (a rerun): the UPDATE changed nothing
    incident = db.session.get_one(Incident, incident_id)
    message = alert_text(incident)
    contacts = contacts_for(incident.regency_code)
    if not contacts:  # nobody to tell: the board still shows it, but an operator must know
        log.error("crisis: no contact to alert", extra={"incident": incident.ref, "regency": incident.regency_code})
    for contact in contacts:
        queue_sms(contact.msisdn, message, kind="crisis", regency_code=incident.regency_code)
    db.session.commit()
    return len(contacts)


def escalate_overdue(now: datetime, after: float) -> list[str]:
    """Escalate, once, every incident unacknowledged `after` seconds after it was filed.

    Returns the references escalated by this call. Commits each escalation on its own.
    """
    cutoff = now - timedelta(seconds=after)
    due = db.session.scalars(
        select(Incident.id).where(
            Incident.acknowledged_at.is_(None), Incident.escalated_at.is_(None), Incident.created_at <= cutoff
        )
    ).all()
    escalated = []
    for incident_id in due:
        claimed = db.session.execute(
            update(Incident)
            .where(Incident.id == incident_id, Incident.acknowledged_at.is_(None), Incident.escalated_at.is_(None))
            .values(escalated_at=now)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue  # acknowledged or escalated meanwhile by someone else
        incident = db.session.get_one(Incident, incident_id)
        message = alert_text(incident, prefix="crisis_escalated")
        province = contacts_for(None)
        if not province:
            log.error("crisis: no province contact to escalate to", extra={"incident": incident.ref})
        for contact in province:
            queue_sms(contact.msisdn, message, kind="crisis", regency_code=incident.regency_code)
        db.session.commit()
        escalated.append(incident.ref)
    return escalated


def reachable_official(official_id: int | None) -> tuple[Official, str] | None:
    """The official and the number of their active handset, or None if they cannot be texted."""
    official = db.session.get(Official, official_id) if official_id else None
    msisdn = db.session.scalar(
        select(Handset.msisdn)
        .where(Handset.official_id == official_id, Handset.status == HandsetStatus.ACTIVE)
        .limit(1)
    )
    return (official, msisdn) if official is not None and msisdn else None


def tell_reporter(incident: Incident, key: str, **values: str) -> None:
    """Queue a text to the official who filed the incident (their active handset), if any."""
    if reached := reachable_official(incident.official_id):
        official, msisdn = reached
        message = text(key, official.language, ref=incident.ref, **values)
        queue_sms(msisdn, message, kind="status", official_id=official.id)


def acknowledge_incident(incident: Incident, by: str) -> bool:
    """Acknowledge once (SMS `OK <ref>` or the console): True if this call did, and then the
    reporter is texted in the same transaction. The caller commits."""
    claimed = db.session.execute(
        update(Incident)
        .where(Incident.id == incident.id, Incident.acknowledged_at.is_(None))
        .values(acknowledged_at=utcnow(), acknowledged_by=by[:80])
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(incident)
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    tell_reporter(incident, "incident_acknowledged")
    return True


def acknowledge(msisdn: str, ref: str) -> str:
    """Handle `OK <ref>` from a Crisis Center contact; returns the reply text. Commits."""
    contacts = db.session.scalars(select(CrisisContact).where(CrisisContact.msisdn == msisdn)).all()
    if not contacts:
        return text("crisis_not_contact", "id")
    clean = normalize_reference(ref)
    incident = db.session.scalar(select(Incident).where(Incident.ref == clean)) if clean else None
    scopes = {c.regency_code for c in contacts}
    if incident is None or not (None in scopes or incident.regency_code in scopes):
        return text("crisis_not_found", "id", ref=ref.strip()[:14])
    won = acknowledge_incident(incident, msisdn)
    if won:
        audit.record(f"sms:{msisdn}", "incident.acknowledge", "incident", incident.ref, incident.regency_code)
    db.session.commit()
    if not won:
        return text("crisis_already", "id", ref=incident.ref, by=incident.acknowledged_by)
    return text("crisis_acknowledged", "id", ref=incident.ref)
