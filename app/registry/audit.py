"""Who acts on the registry, and the audit events their changes leave behind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.extensions import db
from app.models import AuditEvent, Handset, Official
from app.registry.errors import Forbidden, NotFound


@dataclass(frozen=True)
class Actor:
    """Whoever changes the registry: an admin, the CLI operator, or an official's SMS.

    `regency_code` None means province-wide; a scoped actor sees nothing outside its regency.
    """

    name: str
    regency_code: str | None = None
    read_only: bool = False

    def may_see(self, regency_code: str | None) -> bool:
        """True when an object of `regency_code` is within this actor's scope."""
        return self.regency_code is None or self.regency_code == regency_code

    def check_scope(self, regency_code: str | None, what: str = "Data") -> None:
        """404 outside the scope (the actor must not learn the object exists)."""
        if not self.may_see(regency_code):
            raise NotFound(f"{what} tidak ditemukan / not found.")

    def check_write(self) -> None:
        """403 for read-only actors."""
        if self.read_only:
            raise Forbidden("Peran Anda hanya boleh melihat / your role is read-only.")


CLI = Actor("cli")


def handset_snapshot(handset: Handset) -> dict[str, Any]:
    """The audited fields of a handset (never secrets)."""
    return {
        "imei": handset.imei,
        "msisdn": handset.msisdn,
        "status": handset.status,
        "block_reason": handset.block_reason,
        "official_id": handset.official_id,
        "regency_code": handset.regency_code,
    }


def official_snapshot(official: Official) -> dict[str, Any]:
    """The audited fields of an official (the PIN only as set/unset)."""
    return {
        "name": official.name,
        "nip": official.nip,
        "position": official.position,
        "regency_code": official.regency_code,
        "language": official.language,
        "has_pin": bool(official.pin_hash),
    }


def record(
    actor: Actor | str,
    action: str,
    object_type: str,
    object_id: object,
    regency_code: str | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the current session (committed with the change it describes)."""
    event = AuditEvent(
        actor=(actor.name if isinstance(actor, Actor) else actor)[:80],
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        regency_code=regency_code,
        before=before,
        after=after,
    )
    db.session.add(event)
    return event


def record_handset(actor: Actor | str, action: str, handset: Handset, before: dict[str, Any] | None) -> AuditEvent:
    """Audit a change to `handset`, its state now as `after`."""
    return record(actor, action, "handset", handset.imei, handset.regency_code, before, handset_snapshot(handset))
