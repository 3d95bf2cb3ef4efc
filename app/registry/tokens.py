"""API tokens: issued with an expiry, revoked one by one, always audited; only hashes are stored."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from app.database import begin_write
from app.extensions import db
from app.models import Admin, ApiToken
from app.models.base import utcnow
from app.registry.audit import Actor, record
from app.registry.errors import Forbidden, NotFound, RuleError
from app.security.tokens import new_token, token_hash

MAX_DAYS = 3650
TOUCH_EVERY = timedelta(minutes=5)  # last_used_at is a hint: not a write on every request


def lifetime_days(days: int | None) -> int:
    """The lifetime to give a new token: `days`, else API_TOKEN_DAYS (1-3650)."""
    chosen = days if days is not None else int(current_app.config["API_TOKEN_DAYS"])
    if not 1 <= chosen <= MAX_DAYS:
        raise RuleError(f"Masa berlaku 1-{MAX_DAYS} hari / a token lives 1-{MAX_DAYS} days.", "days")
    return chosen


def add_token(admin: Admin, days: int | None = None) -> tuple[ApiToken, str]:
    """A new bearer token for `admin` (stored hashed) and its one-time value; the caller commits."""
    value = new_token()
    row = ApiToken(
        admin_id=admin.id, token_hash=token_hash(value), expires_at=utcnow() + timedelta(days=lifetime_days(days))
    )
    db.session.add(row)
    db.session.flush()
    return row, value


def _province_writer(actor: Actor) -> None:
    if actor.regency_code is not None or actor.read_only:
        raise Forbidden("Hanya admin provinsi / province admins only.")


def _admin(admin_id: int | None = None, username: str | None = None) -> Admin:
    if username is not None:
        admin = db.session.scalar(select(Admin).where(Admin.username == username.strip().lower()))
    else:
        admin = db.session.get(Admin, admin_id)
    if admin is None:
        raise NotFound("Admin tidak ditemukan / admin not found.", "username" if username is not None else None)
    return admin


def issue_token(actor: Actor, username: str | None = None, days: int | None = None, admin_id: int | None = None) -> str:
    """Another token for an existing admin (e.g. the first one was lost); province writers only."""
    _province_writer(actor)
    begin_write()
    admin = _admin(admin_id, username)
    row, value = add_token(admin, days)
    record(actor, "admin.token", "admin", admin.id, admin.regency_code, None, token_snapshot(row))
    db.session.commit()
    return value


def tokens_of(actor: Actor, admin_id: int | None = None, username: str | None = None) -> list[ApiToken]:
    """An admin's tokens, newest first (hashes never leave the database)."""
    if actor.regency_code is not None:
        raise Forbidden("Hanya admin provinsi / province admins only.")
    admin = _admin(admin_id, username)
    return list(db.session.scalars(select(ApiToken).where(ApiToken.admin_id == admin.id).order_by(ApiToken.id.desc())))


def revoke_token(actor: Actor, token_id: int, admin_id: int | None = None) -> ApiToken:
    """Revoke one token (idempotent); `admin_id`, when given, must own it."""
    _province_writer(actor)
    begin_write()
    row = db.session.get(ApiToken, token_id)
    if row is None or (admin_id is not None and row.admin_id != admin_id):
        raise NotFound("Token tidak ditemukan / token not found.")
    if row.revoked_at is None:
        before = token_snapshot(row)
        row.revoked_at = utcnow()
        admin = db.session.get(Admin, row.admin_id)
        record(actor, "admin.token_revoke", "admin", row.admin_id, admin.regency_code if admin else None, before,
               token_snapshot(row))  # fmt: skip
    db.session.commit()
    return row


def token_snapshot(row: ApiToken) -> dict[str, object]:
    """The audited facts of a token (never its value or hash)."""
    return {
        "token_id": row.id,
        "expires_at": row.expires_at.isoformat() if row.expires_at else None,
        "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
    }


def admin_for_token(token: str) -> Admin | None:
    """The active admin owning an unrevoked, unexpired token, else None (one indexed query).

    The read ends its transaction before the occasional last_used_at write, so on SQLite a
    request never turns a read snapshot into a write (which fails at once next to a writer).
    """
    now = utcnow()
    row = db.session.execute(
        select(Admin, ApiToken.id, ApiToken.last_used_at)
        .join(ApiToken, ApiToken.admin_id == Admin.id)
        .where(ApiToken.token_hash == token_hash(token), ApiToken.revoked_at.is_(None), Admin.active.is_(True))
        .where((ApiToken.expires_at.is_(None)) | (ApiToken.expires_at > now))
    ).first()
    db.session.commit()
    if row is None:
        return None
    admin, token_id, last_used = row
    if last_used is None or now - last_used > TOUCH_EVERY:
        begin_write()
        db.session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
        db.session.commit()
    return admin
