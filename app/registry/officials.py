"""Officials: created with their first handset, updated by admins, always audited."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Handset, Official
from app.models.handset import HandsetStatus
from app.registry.audit import Actor, official_snapshot, record
from app.registry.errors import Conflict, Forbidden
from app.registry.lookup import invalidate_msisdn
from app.registry.queries import get_official
from app.registry.rules import clean_language, clean_name, clean_nip, clean_position

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewOfficial:
    """What an admin types about an official (raw; cleaned by `create_official`)."""

    name: str
    nip: str
    position: str = ""
    language: str = "id"


def check_nip_free(nip: str, except_id: int | None = None) -> None:
    owner = db.session.scalar(select(Official.id).where(Official.nip == nip))
    if owner is not None and owner != except_id:
        raise Conflict("NIP sudah terdaftar / NIP already registered.", "nip")


def create_official(actor: Actor, new: NewOfficial, regency_code: str) -> Official:
    """Add an official to the session (the caller commits), with its audit event."""
    nip = clean_nip(new.nip)
    official = Official(
        name=clean_name(new.name),
        nip=nip,
        position=clean_position(new.position),
        regency_code=regency_code,
        language=clean_language(new.language),
    )
    check_nip_free(nip)
    db.session.add(official)
    db.session.flush()
    record(actor, "official.add", "official", official.id, regency_code, None, official_snapshot(official))
    return official


def update_official(
    actor: Actor,
    official_id: int,
    *,
    name: str | None = None,
    nip: str | None = None,
    position: str | None = None,
    language: str | None = None,
    regency_code: str | None = None,
) -> Official:
    """Change an official's details; moving regency (province only) moves their handsets."""
    actor.check_write()
    official = get_official(actor, official_id)
    before = official_snapshot(official)
    if name is not None:
        official.name = clean_name(name, "name")
    if nip is not None:
        cleaned = clean_nip(nip)
        check_nip_free(cleaned, official.id)  # before the change: autoflush would hit the constraint
        official.nip = cleaned
    if position is not None:
        official.position = clean_position(position)
    if language is not None:
        official.language = clean_language(language)
    handsets = list(db.session.scalars(select(Handset).where(Handset.official_id == official.id)))
    if regency_code is not None and regency_code != official.regency_code:
        if actor.regency_code is not None:
            db.session.rollback()
            raise Forbidden("Hanya admin provinsi yang boleh memindah / only province admins move officials.")
        official.regency_code = regency_code
        for handset in handsets:
            if handset.status != HandsetStatus.RETIRED:
                handset.regency_code = regency_code
    after = official_snapshot(official)
    record(actor, "official.update", "official", official.id, official.regency_code, before, after)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("NIP sudah terdaftar / NIP already registered.", "nip") from None
    invalidate_msisdn(*(h.msisdn for h in handsets))
    return official
