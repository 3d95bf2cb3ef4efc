"""An admin's PIN reset: the official's PIN and every lock on it are cleared, audited.

The handset then asks for a new PIN (entered twice) on the next dial, as on first use;
only an admin of the official's regency (or the province) can do this, and the CLI.
"""

from __future__ import annotations

from app.database import begin_write
from app.extensions import db
from app.models import Official
from app.registry.audit import Actor, official_snapshot, record
from app.registry.errors import NotFound
from app.registry.lookup import invalidate_official_after_commit
from app.security.pins import reset_lockout


def reset_pin(actor: Actor, official_id: int) -> Official:
    """Clear the official's PIN and lockout (hard locks included); the audit says who did it."""
    actor.check_write()
    begin_write()
    official = db.session.get(Official, official_id)
    if official is None or not actor.may_see(official.regency_code):
        raise NotFound("Petugas tidak ditemukan / official not found.")
    before = official_snapshot(official)
    official.pin_hash = None
    official.pin_changed_at = None
    record(actor, "official.pin_reset", "official", official.id, official.regency_code, before,
           official_snapshot(official))  # fmt: skip
    invalidate_official_after_commit(official.id)
    db.session.commit()
    reset_lockout(official.id)  # after the commit: a failed commit leaves the lock in place
    return official
