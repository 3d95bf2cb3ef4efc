"""Broadcasts: compose (live GSM-7/UCS-2 counter), choose regencies, confirm, watch the counts.

A regency admin sends to its own regency only, and sees only its own regency's broadcasts.
`app.sms.broadcasts.start_broadcast` applies the rules and writes the audit event.
"""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.console import bp
from app.console.forms import BroadcastForm, choices
from app.console.pages import back
from app.console.roles import current_actor, may_write, regency_choices, regency_names
from app.extensions import db
from app.models import Broadcast
from app.models.base import utcnow
from app.registry.errors import RegistryError
from app.sms.broadcasts import BroadcastError, counts, quiet_until, recipient_numbers, start_broadcast
from menus.gsm7 import sms_parts, to_gsm7


def visible(query: Any) -> Any:
    """A regency admin's broadcasts: those to its own regency."""
    scope = current_actor().regency_code
    return query if scope is None else query.where(Broadcast.regencies == scope)


def broadcast_form() -> BroadcastForm:
    form = BroadcastForm()
    form.regencies.choices = choices(regency_choices())
    return form


def render_list(form: BroadcastForm, status: int = 200) -> tuple[str, int]:
    rows = list(db.session.scalars(visible(select(Broadcast)).order_by(Broadcast.id.desc()).limit(30)))
    return render_template(
        "console/broadcasts.html",
        broadcasts=rows,
        counts={b.id: counts(b.id) for b in rows},
        form=form,
        names=regency_names(),
        quiet=quiet_until(utcnow()),
    ), status


@bp.route("/broadcasts", methods=["GET", "POST"])
def broadcasts() -> Any:
    """Recent broadcasts and the compose form; a POST shows the confirmation, then sends."""
    form = broadcast_form()
    if request.method == "GET":
        return render_list(form)
    if not may_write():
        abort(403)
    if not form.validate_on_submit() or not form.regencies.data:
        if not form.regencies.data:
            form.regencies.errors = [*form.regencies.errors, "Pilih minimal satu kab/kota."]
        return render_list(form, 400)
    regencies = sorted(form.regencies.data)
    if not form.confirmed.data:
        return confirm_page(form, regencies)
    try:
        broadcast = start_broadcast(current_actor(), form.text.data or "", regencies, urgent=form.urgent.data)
    except (BroadcastError, RegistryError) as exc:
        form.text.errors = [*form.text.errors, getattr(exc, "message", str(exc))]
        return render_list(form, 422)
    return back("console.broadcast", broadcast_id=broadcast.id)


def confirm_page(form: BroadcastForm, regencies: list[str]) -> tuple[str, int]:
    """What will be sent, to how many handsets, in how many parts, and whether it waits."""
    text = to_gsm7((form.text.data or "").strip())
    encoding, parts = sms_parts(text)
    recipients = len(recipient_numbers(Broadcast(regencies=",".join(regencies))))
    return render_template(
        "console/broadcast_confirm.html",
        form=form,
        text=text,
        encoding=encoding,
        parts=parts,
        too_long=len(text) > 459,
        recipients=recipients,
        regencies=regencies,
        names=regency_names(),
        quiet=quiet_until(utcnow()),
    ), 200


def get_broadcast(broadcast_id: int) -> Broadcast:
    broadcast = db.session.scalar(visible(select(Broadcast).where(Broadcast.id == broadcast_id)))
    if broadcast is None:
        abort(404)
    return broadcast


@bp.route("/broadcasts/<int:broadcast_id>")
def broadcast(broadcast_id: int) -> str:
    """One broadcast: its text, regencies and sent / delivered / failed counts (refreshing)."""
    found = get_broadcast(broadcast_id)
    return render_template("console/broadcast.html", broadcast=found, counts=counts(found.id), names=regency_names())


@bp.route("/broadcasts/<int:broadcast_id>/counts")
def broadcast_counts(broadcast_id: int) -> str | Response:
    """The counts fragment the broadcast page polls."""
    found = get_broadcast(broadcast_id)
    return render_template("console/_broadcast_counts.html", broadcast=found, counts=counts(found.id))
