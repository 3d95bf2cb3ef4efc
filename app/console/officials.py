"""Officials: list and search, edit name, position and language, reset the PIN."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, render_template, request
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.console import bp
from app.console.forms import ActionForm, OfficialForm
from app.console.pages import back, page_args, pages_of
from app.console.roles import WRITERS, current_actor, may_write, regency_choices, regency_names, require_role
from app.extensions import db
from app.models import Handset
from app.registry.errors import RegistryError
from app.registry.officials import update_official
from app.registry.pin_reset import reset_pin
from app.registry.queries import get_official, officials_query, page


@bp.route("/officials")
def officials() -> str:
    """Officials by name: search by name or NIP, filter by regency."""
    q = request.args.get("q", "").strip()[:100]
    regency = request.args.get("regency", "")
    choices = regency_choices()
    regency = regency if regency in {code for code, _ in choices} else ""
    number, per_page = page_args()
    rows, total = page(officials_query(current_actor(), regency or None, q), number, per_page)
    args = {key: value for key, value in (("q", q), ("regency", regency)) if value}
    return render_template(
        "console/officials.html",
        officials=[official for (official,) in rows],
        total=total,
        page=number,
        pages=pages_of(total, per_page),
        args=args,
        q=q,
        regency=regency,
        regencies=choices,
        names=regency_names(),
    )


@bp.route("/officials/<int:official_id>", methods=["GET", "POST"])
def official(official_id: int) -> Any:
    """One official: details, handsets, and (for writers) the edit form and the PIN reset."""
    actor = current_actor()
    found = get_official(actor, official_id)
    form = OfficialForm(obj=found)
    status = 200
    if request.method == "POST":
        if not may_write():
            abort(403)
        if form.validate_on_submit():
            try:
                update_official(
                    actor,
                    official_id,
                    name=form.name.data or "",
                    position=form.position.data or "",
                    language=form.language.data or "id",
                )
            except RegistryError as exc:
                if exc.status == 404:
                    raise
                form.form_errors.append(exc.message)
                status = exc.status
            else:
                flash("Data pejabat disimpan.", "success")
                return back("console.official", official_id=official_id)
        else:
            status = 400
    handsets = list(db.session.scalars(select(Handset).where(Handset.official_id == found.id).order_by(Handset.id)))
    return render_template(
        "console/official.html",
        official=found,
        form=form,
        reset_form=ActionForm(),
        handsets=handsets,
        names=regency_names(),
    ), status


@bp.route("/officials/<int:official_id>/reset-pin", methods=["POST"])
@require_role(*WRITERS)
def official_reset_pin(official_id: int) -> Response:
    """Forget the PIN: the official sets a new one on the next dial."""
    reset_pin(current_actor(), official_id)
    flash("PIN direset. Pejabat membuat PIN baru saat menghubungi *818# berikutnya.", "success")
    return back("console.official", official_id=official_id)
