"""Shared setup for registry tests: handsets added through the service, audit queries."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from app.registry import service
from app.registry.audit import CLI, Actor
from app.registry.officials import NewOfficial
from bench.registry_data import imei, msisdn, nip


def add(n: int, regency: str = "6472", number: str | None = "", actor: Actor = CLI) -> service.Added:
    """Handset n with official n; `number` "" means msisdn(n), None means no SIM yet."""
    return service.add_handset(
        actor,
        imei=imei(n),
        regency=regency,
        msisdn=None if number is None else (number or msisdn(n)),
        official=NewOfficial(f"Petugas {n}", nip(n), "Staf", "id"),
    )


def audit_actions(object_id: str | None = None) -> list[str]:
    query = select(AuditEvent.action).order_by(AuditEvent.id)
    if object_id is not None:
        query = query.where(AuditEvent.object_id == object_id)
    return list(db.session.scalars(query))
