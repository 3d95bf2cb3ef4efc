"""Lookups the registry's operations share: regency by code or name, handset by IMEI."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import Handset, Regency
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


def check_number_free(msisdn: str, except_id: int | None = None) -> None:
    """At most one active handset per number."""
    owner = db.session.scalar(
        select(Handset.id).where(Handset.msisdn == msisdn, Handset.status == HandsetStatus.ACTIVE)
    )
    if owner is not None and owner != except_id:
        raise Conflict("Nomor ini sudah dipakai ponsel aktif lain / number is on another active handset.", "msisdn")
