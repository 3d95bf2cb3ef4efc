"""Read side of the registry: filtered, scoped, paginated lists for the API and console."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select

from app.extensions import db
from app.models import AuditEvent, Handset, Official
from app.registry.audit import Actor
from app.registry.queries import resolve_regency
from app.registry.rules import digits_of

Rows = Select[*tuple[Any, ...]]  # a select of any columns


def scoped_regency(actor: Actor, column: Any, regency: str | None) -> list[Any]:
    """WHERE clauses limiting `column` to the actor's regency and the requested one."""
    clauses = []
    if actor.regency_code is not None:
        clauses.append(column == actor.regency_code)
    if regency:
        clauses.append(column == resolve_regency(regency))
    return clauses


def handsets_query(actor: Actor, regency: str | None = None, status: str | None = None, q: str | None = None) -> Rows:
    """Handsets with their officials, newest first; `q` is part of an IMEI, number, name or NIP."""
    query: Rows = select(Handset, Official).outerjoin(Official, Official.id == Handset.official_id)
    query = query.where(*scoped_regency(actor, Handset.regency_code, regency))
    if status:
        query = query.where(Handset.status == status)
    if q and q.strip():
        text, digits = q.strip(), digits_of(q).lstrip("+")
        terms = [func.lower(Official.name).contains(text.lower())]
        if digits.isdigit():
            terms += [Handset.imei.contains(digits), Handset.msisdn.contains(digits.removeprefix("0"))]
            terms += [Official.nip.contains(digits)]
        query = query.where(or_(*terms))
    return query.order_by(Handset.id.desc())


def officials_query(actor: Actor, regency: str | None = None, q: str | None = None) -> Rows:
    """Officials by name."""
    query = select(Official).where(*scoped_regency(actor, Official.regency_code, regency))
    if q and q.strip():
        text = q.strip()
        query = query.where(or_(func.lower(Official.name).contains(text.lower()), Official.nip.contains(text)))
    return query.order_by(Official.name, Official.id)


def audit_query(
    actor: Actor,
    object_type: str | None = None,
    object_id: str | None = None,
    action: str | None = None,
    *,
    by: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Rows:
    """Audit events, newest first; a scoped actor sees its own regency's only.

    `by` is who acted (`admin:siti`, or just `siti`); `since`/`until` bound the time (until excluded).
    """
    query = select(AuditEvent).where(*scoped_regency(actor, AuditEvent.regency_code, None))
    for column, value in ((AuditEvent.object_type, object_type), (AuditEvent.object_id, object_id)):
        if value:
            query = query.where(column == value)
    if action:
        query = query.where(AuditEvent.action == action)
    if by:
        query = query.where(AuditEvent.actor.in_([by, f"admin:{by}"]))
    if since:
        query = query.where(AuditEvent.at >= since)
    if until:
        query = query.where(AuditEvent.at < until)
    return query.order_by(AuditEvent.id.desc())


def page(query: Rows, number: int, per_page: int) -> tuple[list[Any], int]:
    """One page of rows and the total count."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = list(db.session.execute(query.limit(per_page).offset((number - 1) * per_page)))
    return rows, total
