"""Crisis Center contacts: who is texted about disasters, per regency or province-wide.

The API and the console both add and remove contacts here (regency admins: their own
regency's only; the province's contacts are the province admins' to edit).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select

from app.extensions import db
from app.models import CrisisContact
from app.registry import audit
from app.registry.audit import Actor
from app.registry.errors import Conflict, NotFound, RuleError
from app.registry.msisdn import to_e164


def visible_contacts(actor: Actor) -> list[CrisisContact]:
    """The actor's regency's contacts and the province's (everything for the province)."""
    query = select(CrisisContact)
    if actor.regency_code is not None:
        scope: ColumnElement[bool] = or_(
            CrisisContact.regency_code == actor.regency_code, CrisisContact.regency_code.is_(None)
        )
        query = query.where(scope)
    return list(db.session.scalars(query.order_by(CrisisContact.regency_code.is_(None), CrisisContact.id)))


def add_contact(actor: Actor, regency: str | None, name: str, msisdn: str) -> CrisisContact:
    """Add a contact for `regency` (None: province-wide). Commits."""
    actor.check_write()
    if actor.regency_code is not None and regency != actor.regency_code:
        raise NotFound("Kab/kota tidak ditemukan / regency not found.")
    number = to_e164(msisdn)
    if number is None:
        raise RuleError("Bukan nomor seluler Indonesia / not an Indonesian mobile number.", "msisdn")
    clean_name = " ".join(name.split())[:120]
    if not clean_name:
        raise RuleError("Isi nama kontak / the contact needs a name.", "name")
    taken = CrisisContact.regency_code.is_(None) if regency is None else CrisisContact.regency_code == regency
    if db.session.scalar(select(CrisisContact).where(CrisisContact.msisdn == number, taken)):
        raise Conflict("Kontak sudah ada / contact already exists.")
    contact = CrisisContact(msisdn=number, name=clean_name, regency_code=regency)
    db.session.add(contact)
    db.session.flush()
    audit.record(actor, "crisis_contact.add", "crisis_contact", contact.id, regency, None, {"msisdn": number})
    db.session.commit()
    return contact


def remove_contact(actor: Actor, contact_id: int) -> None:
    """Remove a contact (regency admins: their own regency's only). Commits."""
    actor.check_write()
    contact = db.session.get(CrisisContact, contact_id)
    if contact is None or (actor.regency_code is not None and contact.regency_code != actor.regency_code):
        raise NotFound("Kontak tidak ditemukan / contact not found.")
    audit.record(actor, "crisis_contact.remove", "crisis_contact", contact.id, contact.regency_code)
    db.session.delete(contact)
    db.session.commit()
