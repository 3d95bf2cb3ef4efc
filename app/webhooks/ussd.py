"""POST /ussd and /ussd/events: Africa's Talking USSD callbacks (thin; logic in app.ussd)."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, request

from app.errors import json_error
from app.registry.msisdn import any_e164
from app.ussd import caller_number, handle_hop, record_event
from app.ussd.sim import ussd_sim
from app.webhooks.guards import check_webhook_caller, require_fields

bp = Blueprint("ussd", __name__, cli_group=None)
bp.before_request(check_webhook_caller)
bp.cli.add_command(ussd_sim)
log = logging.getLogger(__name__)

FIELDS = ("sessionId", "serviceCode", "phoneNumber", "text")


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
    msisdn = caller_number(form["phoneNumber"])
    if msisdn is None:
        return json_error(400, "phoneNumber is not a valid phone number.")
    return screen(handle_hop(form["sessionId"], msisdn, form["text"]))


@bp.post("/ussd/events")
def ussd_events() -> Response | tuple[Response, int]:
    """End-of-session notification: recorded (status, duration, hops); always acknowledged."""
    form = request.form.to_dict()
    problem = require_fields(form, ("sessionId",))
    if problem:
        return problem
    msisdn = any_e164(form.get("phoneNumber", ""))
    try:
        record_event(form, msisdn)
    except Exception as exc:  # the gateway does not care; never a 5xx
        log.warning("ussd: event not recorded", extra={"error": type(exc).__name__})
    return Response("", status=200)
