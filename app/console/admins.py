"""Admins (province admins only): create, set role and regency, password, deactivate, API tokens.

New API tokens are shown on the answering page once, never put in a cookie or the log.
"""

from __future__ import annotations

from typing import Any

from flask import flash, render_template, request
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.console import bp
from app.console.forms import ActionForm, AdminForm, choices
from app.console.pages import back, flash_error
from app.console.roles import ROLE_LABELS, current_actor, current_admin, regency_choices, require_role
from app.extensions import db
from app.models import Admin
from app.registry.admins import create_admin, deactivate_admin, set_password, update_admin
from app.registry.errors import NotFound, RegistryError
from app.registry.tokens import issue_token


def admin_form() -> AdminForm:
    form = AdminForm()
    form.role.choices = choices(ROLE_LABELS.items())
    form.regency.choices = choices([("", "- (seluruh provinsi)"), *regency_choices()])
    return form


def render_admins(form: AdminForm, status: int = 200, **extra: Any) -> tuple[str, int]:
    admins = list(db.session.scalars(select(Admin).order_by(Admin.active.desc(), Admin.username)))
    return render_template(
        "console/admins.html",
        admins=admins,
        form=form,
        action_form=ActionForm(),
        me=current_admin(),
        regencies=regency_choices(),
        **extra,
    ), status


@bp.route("/admins", methods=["GET", "POST"])
@require_role("province")
def admins() -> tuple[str, int]:
    """All admins, and the form that creates one (its first API token is shown once)."""
    form = admin_form()
    if request.method == "GET":
        return render_admins(form)
    if not form.validate_on_submit():
        return render_admins(form, 400)
    try:
        created = create_admin(
            current_actor(),
            form.username.data or "",
            form.role.data or "",
            form.regency.data or None,
            form.password.data or None,
        )
    except RegistryError as exc:
        form.form_errors.append(exc.message)
        return render_admins(form, exc.status)
    return render_admins(admin_form(), 201, new_token=(created.admin.username, created.token))


def get_admin(admin_id: int) -> Admin:
    admin = db.session.get(Admin, admin_id)
    if admin is None:
        raise NotFound("Admin tidak ditemukan / admin not found.")
    return admin


@bp.route("/admins/<int:admin_id>/role", methods=["POST"])
@require_role("province")
def admin_role(admin_id: int) -> Response:
    """Set an admin's role and regency."""
    try:
        update_admin(current_actor(), admin_id, request.form.get("role", ""), request.form.get("regency") or None)
    except RegistryError as exc:
        flash_error(exc)
    else:
        flash("Peran disimpan.", "success")
    return back("console.admins")


@bp.route("/admins/<int:admin_id>/password", methods=["POST"])
@require_role("province")
def admin_password(admin_id: int) -> Response:
    """Set an admin's console password (their open sessions end)."""
    try:
        set_password(current_actor(), get_admin(admin_id).username, request.form.get("password", ""))
    except RegistryError as exc:
        flash_error(exc)
    else:
        flash("Kata sandi disimpan.", "success")
    return back("console.admins")


@bp.route("/admins/<int:admin_id>/deactivate", methods=["POST"])
@require_role("province")
def admin_deactivate(admin_id: int) -> Response:
    """Switch an admin off and revoke its API tokens."""
    if admin_id == current_admin().id:
        flash("Anda tidak bisa menonaktifkan diri sendiri.", "error")
        return back("console.admins")
    admin = deactivate_admin(current_actor(), admin_id)
    flash(f"{admin.username} dinonaktifkan; token API-nya dicabut.", "success")
    return back("console.admins")


@bp.route("/admins/<int:admin_id>/token", methods=["POST"])
@require_role("province")
def admin_token(admin_id: int) -> tuple[str, int]:
    """Issue another API token, shown on this page once."""
    admin = get_admin(admin_id)
    token = issue_token(current_actor(), admin.username)
    return render_admins(admin_form(), 201, new_token=(admin.username, token))
