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


def make_tokens() -> dict[str, str]:
    """API tokens of a province admin, two regency admins (6472, 6471) and a viewer."""
    from app.registry.admins import create_admin

    specs = {
        "province": ("prov", "province", None),
        "samarinda": ("smd", "regency", "6472"),
        "balikpapan": ("bpn", "regency", "6471"),
        "viewer": ("lihat", "viewer", None),
    }
    return {key: create_admin(CLI, name, role, regency).token for key, (name, role, regency) in specs.items()}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
