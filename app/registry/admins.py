"""Admins and their API tokens: created by province admins or the CLI, always audited."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models import Admin, ApiToken
from app.models.admin import AdminRole
from app.models.base import utcnow
from app.registry.audit import Actor, record
from app.registry.errors import Conflict, Forbidden, NotFound, RuleError
from app.registry.queries import resolve_regency
from app.registry.tokens import add_token
from app.security.tokens import hash_password

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD = 8


@dataclass(frozen=True)
class NewAdmin:
    """A created admin and its first API token (the only time the token is seen)."""

    admin: Admin
    token: str


def admin_snapshot(admin: Admin) -> dict[str, object]:
    return {"username": admin.username, "role": admin.role, "regency_code": admin.regency_code, "active": admin.active}


def actor_for(admin: Admin) -> Actor:
    """The registry actor an admin acts as: viewers read only; scoped roles see one regency."""
    return Actor(f"admin:{admin.username}", admin.regency_code, read_only=admin.role == AdminRole.VIEWER)


def create_admin(
    actor: Actor, username: str, role: str, regency: str | None = None, password: str | None = None
) -> NewAdmin:
    """Add an admin with a first API token; only province-wide writers may do this."""
    if actor.regency_code is not None or actor.read_only:
        raise Forbidden("Hanya admin provinsi / province admins only.")
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise RuleError("Nama pengguna 3-64 huruf kecil/angka/._- / username: 3-64 of a-z 0-9 . _ -", "username")
    check_role(role, regency)
    if db.session.scalar(select(Admin.id).where(Admin.username == username)) is not None:
        raise Conflict("Nama pengguna sudah dipakai / username taken.", "username")
    admin = Admin(
        username=username,
        role=role,
        regency_code=resolve_regency(regency) if regency else None,
        password_hash=hash_password(clean_password(password)) if password else None,
    )
    db.session.add(admin)
    db.session.flush()
    _, token = add_token(admin)
    record(actor, "admin.create", "admin", admin.id, admin.regency_code, None, admin_snapshot(admin))
    db.session.commit()
    return NewAdmin(admin, token)


def check_role(role: str, regency: str | None) -> None:
    """A role that exists, with a regency exactly when it needs one (a viewer may have one)."""
    if role not in tuple(AdminRole):
        raise RuleError(f"Peran harus / role must be one of: {', '.join(tuple(AdminRole))}.", "role")
    if role == AdminRole.REGENCY and not regency:
        raise RuleError("Admin kab/kota perlu --regency / a regency admin needs a regency.", "regency")
    if role == AdminRole.PROVINCE and regency:
        raise RuleError("Admin provinsi tanpa kab/kota / a province admin has no regency.", "regency")


def update_admin(actor: Actor, admin_id: int, role: str, regency: str | None) -> Admin:
    """Change an admin's role and regency (province admins only); audited."""
    if actor.regency_code is not None or actor.read_only:
        raise Forbidden("Hanya admin provinsi / province admins only.")
    admin = db.session.get(Admin, admin_id)
    if admin is None:
        raise NotFound("Admin tidak ditemukan / admin not found.")
    check_role(role, regency)
    code = resolve_regency(regency) if regency else None
    before, old_code = admin_snapshot(admin), admin.regency_code
    admin.role, admin.regency_code = role, code
    record(actor, "admin.update", "admin", admin.id, code or old_code, before, admin_snapshot(admin))
    db.session.commit()
    return admin


def clean_password(password: str) -> str:
    """A console password: at least MIN_PASSWORD characters, at most 256."""
    if not MIN_PASSWORD <= len(password) <= 256:
        raise RuleError(
            f"Kata sandi minimal {MIN_PASSWORD} karakter / password: at least {MIN_PASSWORD} characters.", "password"
        )
    return password


def set_password(actor: Actor, username: str, password: str) -> Admin:
    """Set an admin's console password (province admins and the CLI); ends its console sessions."""
    if actor.regency_code is not None or actor.read_only:
        raise Forbidden("Hanya admin provinsi / province admins only.")
    admin = db.session.scalar(select(Admin).where(Admin.username == username.strip().lower()))
    if admin is None:
        raise RuleError("Admin tidak dikenal / unknown admin.", "username")
    admin.password_hash = hash_password(clean_password(password))
    record(actor, "admin.password", "admin", admin.id, admin.regency_code, None, {"username": admin.username})
    db.session.commit()
    return admin


def deactivate_admin(actor: Actor, admin_id: int) -> Admin:
    """Switch an admin off and revoke all its tokens (province admins only)."""
    if actor.regency_code is not None or actor.read_only:
        raise Forbidden("Hanya admin provinsi / province admins only.")
    admin = db.session.get(Admin, admin_id)
    if admin is None:
        raise NotFound("Admin tidak ditemukan / admin not found.")
    if actor.name == f"admin:{admin.username}":
        raise Conflict("Tidak bisa menonaktifkan diri sendiri / you cannot deactivate yourself.")
    before = admin_snapshot(admin)
    admin.active = False
    for token in db.session.scalars(
        select(ApiToken).where(ApiToken.admin_id == admin.id, ApiToken.revoked_at.is_(None))
    ):
        token.revoked_at = utcnow()
    record(actor, "admin.deactivate", "admin", admin.id, admin.regency_code, before, admin_snapshot(admin))
    db.session.commit()
    return admin
