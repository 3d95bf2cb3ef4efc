"""Signing in and out of the console: Flask-Login over Flask's signed-cookie session.

Flask-Login reloads the admin from the database on every request (`load_user`), so a
deactivated admin, or one whose password was changed, is signed out on the next click: the
session's user id carries a fingerprint of the password hash. The cookie is HttpOnly,
SameSite=Lax and (in production) Secure; an idle session ends after CONSOLE_IDLE_MINUTES.
Failed sign-ins are counted in Redis per username and per address (lockout) and every
attempt is audited.
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import timedelta
from functools import cache
from typing import Any

from flask import Flask, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFProtect
from redis.exceptions import RedisError
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.console import bp
from app.console.forms import LoginForm
from app.console.roles import may_write, template_helpers
from app.extensions import db
from app.models import Admin
from app.redis_client import get_redis
from app.registry.audit import record
from app.security.tokens import hash_password, password_matches

log = logging.getLogger(__name__)
login_manager = LoginManager()
csrf = CSRFProtect()
USER_LIMIT = 5  # failed sign-ins per username per window
ADDRESS_LIMIT = 20  # failed sign-ins per client address per window
WINDOW = 900  # seconds
PREFIX = "melek:console:loginfail:"
PUBLIC = ("console.login", "console.static")
READ_ONLY_POSTS = ("console.login", "console.logout")


class ConsoleUser:
    """The signed-in admin as Flask-Login sees it."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, admin: Admin) -> None:
        self.admin = admin

    def get_id(self) -> str:
        return f"{self.admin.id}:{fingerprint(self.admin.password_hash)}"


def fingerprint(password_hash: str | None) -> str:
    """A short digest of the password hash: a new password ends the sessions of the old one."""
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]


@login_manager.user_loader
def load_user(user_id: str) -> ConsoleUser | None:
    """The session's admin if still active and with the same password, else signed out."""
    admin_id, _, mark = user_id.partition(":")
    if not admin_id.isdigit():
        return None
    admin = db.session.get(Admin, int(admin_id))
    if admin is None or not admin.active or not admin.password_hash or mark != fingerprint(admin.password_hash):
        return None
    return ConsoleUser(admin)


@login_manager.unauthorized_handler
def unauthorized() -> Response:
    """Signed out: to the sign-in page (the page asked for is remembered in the session)."""
    if request.method == "GET":
        session["next"] = request.full_path.rstrip("?")
    return redirect(url_for("console.login"))


def failure_keys(username: str, address: str) -> tuple[str, str]:
    return f"{PREFIX}user:{username[:64]}", f"{PREFIX}addr:{address}"


def count_attempt(username: str, address: str) -> bool:
    """Count this sign-in attempt first, then decide from the counts (parallel guesses are each
    counted): True when it is over the limit for this username or this address. The window runs
    from the first attempt. Redis down: no limit, logged."""
    try:
        with get_redis().pipeline() as pipe:
            for key in failure_keys(username, address):
                pipe.incr(key)
                pipe.expire(key, WINDOW, nx=True)
            by_user, _, by_address, _ = pipe.execute()
    except RedisError:
        log.warning("console sign-in: lockout unavailable (Redis)")
        return False
    return int(by_user) > USER_LIMIT or int(by_address) > ADDRESS_LIMIT


def clear_failures(username: str, address: str) -> None:
    """A successful sign-in: the username starts afresh and the address's attempt is given back."""
    by_user, by_address = failure_keys(username, address)
    try:
        with get_redis().pipeline() as pipe:
            pipe.delete(by_user)
            pipe.decr(by_address)
            pipe.expire(by_address, WINDOW, nx=True)  # had it just expired, the -1 goes too
            pipe.execute()
    except RedisError:
        log.warning("console sign-in: could not clear failures (Redis)")


@cache
def dummy_hash() -> str:
    """Checked for unknown usernames, so a wrong name takes as long as a wrong password."""
    return hash_password("not-a-password")


def audit_sign_in(action: str, username: str, admin: Admin | None, reason: str | None = None) -> None:
    address = request.remote_addr or "unknown"
    after: dict[str, Any] = {"address": address} | ({"reason": reason} if reason else {})
    if admin is not None:
        record(f"admin:{admin.username}", action, "admin", admin.id, admin.regency_code, None, after)
    else:
        record(f"console:{address}", action, "login", username[:40], None, None, after)
    db.session.commit()


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Sign in with username and password."""
    if current_user.is_authenticated:
        return redirect(url_for("console.index"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("console/login.html", form=form), 400 if request.method == "POST" else 200
    username, address = (form.username.data or "").strip().lower(), request.remote_addr or "unknown"
    if count_attempt(username, address):
        audit_sign_in("console.login_failed", username, None, "locked")
        form.form_errors.append("Terlalu banyak percobaan gagal; coba lagi dalam 15 menit.")
        return render_template("console/login.html", form=form), 429
    admin = db.session.scalar(select(Admin).where(Admin.username == username))
    stored = admin.password_hash if admin else dummy_hash()
    db.session.commit()  # end the read (on SQLite a writer's) before the slow check: no lock held through scrypt
    matches = password_matches(stored, form.password.data or "")
    if admin is None or not matches or not admin.active:
        audit_sign_in("console.login_failed", username, admin, "inactive" if matches else "password")
        form.form_errors.append("Nama pengguna atau kata sandi salah.")
        return render_template("console/login.html", form=form), 401
    clear_failures(username, address)
    target = session.get("next")
    session.clear()  # a fresh session (and CSRF token) for the signed-in admin
    login_user(ConsoleUser(admin))
    session.permanent = True
    session["seen"] = int(time.time())
    audit_sign_in("console.login", username, admin)
    return redirect(str(target) if is_console_path(target) else url_for("console.index"))


def is_console_path(target: str | None) -> bool:
    """Only a local console page may be the target after sign-in (no open redirect)."""
    return bool(target) and str(target).startswith("/console/") and "//" not in str(target)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    """Sign out."""
    if current_user.is_authenticated:
        admin = current_user.admin
        record(f"admin:{admin.username}", "console.logout", "admin", admin.id, admin.regency_code)
        db.session.commit()
    logout_user()
    session.clear()
    flash("Anda sudah keluar.", "info")
    return redirect(url_for("console.login"))


@bp.before_request
def guard() -> Response | None:
    """Every console page: CSRF on forms, signed in, not idle, and no writes by viewers."""
    # Flask-WTF and Flask-Login cache the token and the user in `g`, which outlives a request
    # when an app context was already pushed (tests, scripts): read both from this request.
    g.pop("csrf_token", None)
    g.pop("_login_user", None)
    if request.method == "POST":
        csrf.protect()
    if request.endpoint in PUBLIC:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    now, seen = int(time.time()), int(session.get("seen", 0))
    if now - seen > idle_seconds():
        logout_user()
        session.clear()
        flash("Sesi berakhir karena lama tidak aktif; silakan masuk lagi.", "info")
        return redirect(url_for("console.login"))
    if now - seen >= 30:  # refresh the idle clock (and the cookie) at most twice a minute
        session["seen"] = now
    if request.method == "POST" and request.endpoint not in READ_ONLY_POSTS and not may_write():
        abort(403)
    return None


def idle_seconds() -> int:
    return int(current_app.config["CONSOLE_IDLE_MINUTES"]) * 60


def init_app(app: Flask) -> None:
    """Cookie settings, Flask-Login and CSRF (checked on the console's forms only)."""
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_SECURE"] = app.config["MELEK_ENV"] == "production"
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=int(app.config["CONSOLE_IDLE_MINUTES"]))
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False  # the API and webhooks take no cookie: no CSRF there
    login_manager.init_app(app, add_context_processor=False)
    login_manager.session_protection = "basic"
    csrf.init_app(app)


@bp.context_processor
def inject_helpers() -> dict[str, Any]:
    return {"current_user": current_user} | template_helpers()
