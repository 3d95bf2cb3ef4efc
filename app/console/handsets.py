"""Handsets: list and search, one handset with its history, provision, block, unblock, swap SIM,
retire, new activation code. Every change goes through `app.registry.service`."""

from __future__ import annotations

from typing import Any

from flask import flash, render_template, request
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.console import bp
from app.console.forms import ActionForm, BlockForm, HandsetForm, SwapSimForm, choices
from app.console.pages import back, flash_error, page_args, pages_of
from app.console.roles import WRITERS, current_actor, regency_choices, regency_names, require_role
from app.extensions import db
from app.models import Handset
from app.models.handset import HandsetStatus
from app.registry import service
from app.registry.errors import RegistryError
from app.registry.officials import NewOfficial
from app.registry.queries import audit_query, get_handset, handsets_query, holder_of, page
from app.registry.rules import clean_imei

STATUS_LABELS = {
    HandsetStatus.PROVISIONED: "Menunggu aktivasi",
    HandsetStatus.ACTIVE: "Aktif",
    HandsetStatus.BLOCKED: "Diblokir",
    HandsetStatus.RETIRED: "Pensiun",
}


@bp.route("/handsets")
def handsets() -> str:
    """Handsets, newest first: search by IMEI, number, name or NIP; filter by regency and status."""
    q = request.args.get("q", "").strip()[:100]
    regency = request.args.get("regency", "")
    status = request.args.get("status", "")
    choices = regency_choices()
    regency = regency if regency in {code for code, _ in choices} else ""
    status = status if status in tuple(HandsetStatus) else ""
    number, per_page = page_args()
    rows, total = page(handsets_query(current_actor(), regency or None, status or None, q), number, per_page)
    args = {key: value for key, value in (("q", q), ("regency", regency), ("status", status)) if value}
    return render_template(
        "console/handsets.html",
        rows=rows,
        total=total,
        page=number,
        pages=pages_of(total, per_page),
        args=args | ({"per_page": per_page} if per_page != 50 else {}),
        q=q,
        regency=regency,
        status=status,
        regencies=choices,
        names=regency_names(),
        statuses=STATUS_LABELS,
    )


@bp.route("/handsets/<imei>")
def handset(imei: str) -> str:
    """One handset: its details, the actions the role may take, its history and last messages."""
    return show_handset(get_handset(current_actor(), imei))


def show_handset(handset: Handset, **extra: Any) -> str:
    from app.console.messages import messages_of

    official = holder_of(handset)
    history = [event for (event,) in page(audit_query(current_actor(), "handset", handset.imei), 1, 50)[0]]
    return render_template(
        "console/handset.html",
        handset=handset,
        official=official,
        names=regency_names(),
        history=history,
        messages=messages_of(handset.msisdn, limit=10) if handset.msisdn else [],
        block_form=BlockForm(),
        swap_form=SwapSimForm(),
        action_form=ActionForm(),
        **extra,
    )


@bp.route("/handsets/<imei>/block", methods=["POST"])
@require_role(*WRITERS)
def block(imei: str) -> Response:
    """Block a lost, stolen or damaged handset (its number is refused from the next dial)."""
    form = BlockForm()
    return act(imei, lambda: service.block(current_actor(), imei, form.reason.data or ""), "Ponsel diblokir.")


@bp.route("/handsets/<imei>/unblock", methods=["POST"])
@require_role(*WRITERS)
def unblock(imei: str) -> Response:
    return act(imei, lambda: service.unblock(current_actor(), imei), "Blokir dibuka.")


@bp.route("/handsets/<imei>/swap-sim", methods=["POST"])
@require_role(*WRITERS)
def swap_sim(imei: str) -> Response:
    form = SwapSimForm()
    return act(imei, lambda: service.swap_sim(current_actor(), imei, form.msisdn.data or ""), "Nomor SIM diganti.")


@bp.route("/handsets/<imei>/retire", methods=["POST"])
@require_role(*WRITERS)
def retire(imei: str) -> Response:
    return act(imei, lambda: service.retire(current_actor(), imei), "Ponsel dipensiunkan.")


def act(imei: str, change: Any, done: str) -> Response:
    """Run a change; a refused one shows its reason on the handset's page."""
    get_handset(current_actor(), imei)  # 404 outside the scope before anything else
    try:
        change()
    except RegistryError as exc:
        flash_error(exc)
    else:
        flash(done, "success")
    return back("console.handset", imei=clean_imei_or_raw(imei))


def clean_imei_or_raw(imei: str) -> str:
    try:
        return clean_imei(imei)
    except RegistryError:
        return imei


@bp.route("/handsets/<imei>/activation-code", methods=["POST"])
@require_role(*WRITERS)
def activation_code(imei: str) -> str | Response:
    """A new activation code, shown on this page once (never stored readable, never in a cookie)."""
    handset = get_handset(current_actor(), imei)
    try:
        code = service.reissue_activation(current_actor(), imei)
    except RegistryError as exc:
        flash_error(exc)
        return back("console.handset", imei=handset.imei)
    return show_handset(handset, new_code=code)


@bp.route("/handsets/new", methods=["GET", "POST"])
@require_role(*WRITERS)
def new_handset() -> tuple[str, int] | str:
    """Provision one handset; without a number it gets an activation code (shown once)."""
    form = HandsetForm()
    form.regency.choices = choices(regency_choices())
    if not form.validate_on_submit():
        return render_template("console/handset_new.html", form=form), 400 if request.method == "POST" else 200
    new = NewOfficial(
        name=form.official_name.data or "",
        nip=form.nip.data or "",
        position=form.position.data or "",
        language=form.language.data or "id",
    )
    try:
        added = service.add_handset(
            current_actor(),
            imei=form.imei.data or "",
            regency=form.regency.data or "",
            msisdn=(form.msisdn.data or "").strip() or None,
            official=new,
        )
    except RegistryError as exc:
        field = getattr(form, "official_name" if exc.field == "name" else exc.field or "", None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, exc.message]
        else:
            form.form_errors.append(exc.message)
        return render_template("console/handset_new.html", form=form), exc.status
    flash("Ponsel terdaftar.", "success")
    return show_handset(added.handset, new_code=added.activation_code), 201


@bp.route("/handsets/check-imei")
@require_role(*WRITERS)
def check_imei() -> str:
    """The IMEI as typed, judged by the registry's rule (the hint under the provision form)."""
    raw = request.args.get("imei", "")
    if not raw.strip():
        return ""
    try:
        imei = clean_imei(raw)
    except RegistryError as exc:
        return render_template("console/_hint.html", ok=False, message=exc.message)
    if db.session.scalar(select(Handset.id).where(Handset.imei == imei)) is not None:
        return render_template(
            "console/_hint.html", ok=False, message="IMEI sudah terdaftar / IMEI already registered."
        )
    return render_template("console/_hint.html", ok=True, message=f"IMEI {imei} valid.")
