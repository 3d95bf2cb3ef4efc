"""POST /ussd and /ussd/events: Africa's Talking USSD callbacks (thin; logic in app.ussd)."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, request

from app.errors import json_error
from app.models.handset import ACTIVE
from app.registry.lookup import handset_for_msisdn
from app.registry.msisdn import any_e164
from app.webhooks.guards import check_webhook_caller, require_fields

bp = Blueprint("ussd", __name__)
bp.before_request(check_webhook_caller)
log = logging.getLogger(__name__)

FIELDS = ("sessionId", "serviceCode", "phoneNumber", "text")
UNKNOWN = (
    "END Nomor Anda belum terdaftar di Melek. Hubungi admin Diskominfo kab/kota Anda. "
    "Your number is not registered; call your regency's Diskominfo admin."
)
BLOCKED = (
    "END Ponsel ini diblokir. Hubungi admin Diskominfo kab/kota Anda. "
    "This handset is blocked; call your regency's Diskominfo admin."
)
BUSY = "END Layanan sedang sibuk, silakan coba lagi. Service busy, please try again."


def screen(body: str) -> Response:
    """A USSD answer: text/plain starting CON or END."""
    return Response(body, status=200, mimetype="text/plain")


@bp.post("/ussd")
def ussd() -> Response | tuple[Response, int]:
    """One hop of a USSD session. Never logs `text`: it carries the PIN on every later hop."""
    form = request.form.to_dict()
    problem = require_fields(form, FIELDS)
    if problem:
        return problem
    msisdn = any_e164(form["phoneNumber"])
    if msisdn is None:
        return json_error(400, "phoneNumber is not a valid phone number.")
    try:
        caller = handset_for_msisdn(msisdn)
    except Exception as exc:
        log.warning("ussd: registry unavailable", extra={"error": type(exc).__name__})
        return screen(BUSY)
    if caller is None:
        return screen(UNKNOWN)
    if caller.status != ACTIVE:  # blocked (or not yet activated): no menu
        return screen(BLOCKED)
    name = caller.official_name[:40]
    menu = "1 Kirim laporan\n2 Cek status\n3 Pengumuman\n4 Akun saya"
    return screen(f"CON Melek: {name}\n{menu}")


@bp.post("/ussd/events")
def ussd_events() -> Response:
    """End-of-session notification; acknowledged (recorded by app.ussd once it exists)."""
    return Response("", status=200)
