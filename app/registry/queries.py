"""Read side of the registry: a regency, handset or official in scope; filtered, paginated lists.

The API, the console, the CLI and the registry's own operations read through here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select

from app.extensions import db
from app.models import AuditEvent, Handset, Official, Regency
from app.models.handset import HandsetStatus
from app.registry.audit import Actor
from app.registry.errors import Conflict, NotFound, RuleError
from app.registry.rules import digits_of


def resolve_regency(value: str) -> str:
    """The BPS code for a code or a name (any case): `6472`, `Samarinda`, `samarinda`."""
    text = " ".join(value.split())
    row = db.session.scalar(
        select(Regency.code).where((Regency.code == text) | (func.lower(Regency.name) == text.lower()))
    )
    if row is None:
        raise RuleError(f"Kab/kota '{text}' tidak dikenal / unknown regency (BPS code or name).", "regency")
    return row


def get_handset(actor: Actor, imei: str) -> Handset:
    """The handset with this IMEI within the actor's scope, else NotFound."""
    handset = db.session.scalar(select(Handset).where(Handset.imei == digits_of(imei)))
    if handset is None or not actor.may_see(handset.regency_code):
        raise NotFound("Ponsel tidak ditemukan / handset not found.")
    return handset


def holder_of(handset: Handset, official: Official | None = None) -> Official | None:
    """The official shown with a handset: none when it has none, or when the official is of another
    regency (that regency's to see, not this one's)."""
    if official is None and handset.official_id:
        official = db.session.get(Official, handset.official_id)
    if official is not None and official.regency_code != handset.regency_code:
        return None
    return official


def check_number_free(msisdn: str, except_id: int | None = None) -> None:
    """At most one active handset per number."""
    owner = db.session.scalar(
        select(Handset.id).where(Handset.msisdn == msisdn, Handset.status == HandsetStatus.ACTIVE)
    )
    if owner is not None and owner != except_id:
        raise Conflict("Nomor ini sudah dipakai ponsel aktif lain / number is on another active handset.", "msisdn")


def get_official(actor: Actor, official_id: int) -> Official:
    """The official within the actor's scope, else NotFound."""
    official = db.session.get(Official, official_id)
    if official is None or not actor.may_see(official.regency_code):
        raise NotFound("Pejabat tidak ditemukan / official not found.", "official_id")
    return official


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
        terms = [func.lower(Official.name).contains(text.lower(), autoescape=True)]
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
        query = query.where(
            or_(
                func.lower(Official.name).contains(text.lower(), autoescape=True),
                Official.nip.contains(text, autoescape=True),
            )
        )
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
