"""POST /ussd and /ussd/events: Africa's Talking USSD callbacks (thin; logic in app.ussd).

An ordinary Flask blueprint: the webhook guard, request id, metrics and request log come
from the app's hooks like for every other endpoint. A well-formed call is always answered
200 with a `CON `/`END ` screen; anything that breaks while answering it is the busy `END`
screen, never a 5xx. Malformed calls (missing field, bad number, wrong method, too big)
keep their JSON 4xx.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, Response, request
from werkzeug.exceptions import HTTPException

from app.errors import http_error, json_error
from app.registry.msisdn import any_e164
from app.ussd import BUSY, caller_number, handle_hop, record_event
from app.ussd.sim import ussd_sim
from app.webhooks.guards import check_webhook_caller, require_fields

bp = Blueprint("ussd", __name__, cli_group=None)
bp.before_request(check_webhook_caller)
bp.cli.add_command(ussd_sim)
log = logging.getLogger(__name__)

FIELDS = ("sessionId", "serviceCode", "phoneNumber", "text")


def init_app(app: Flask) -> None:
    """Register the USSD blueprint (and `flask ussd-sim`)."""
    app.register_blueprint(bp)


def screen(text: str) -> Response:
    """A 200 text/plain answer (a CON/END screen)."""
    return Response(text, status=200, content_type="text/plain; charset=utf-8")


@bp.errorhandler(Exception)
def _never_a_5xx(exc: Exception) -> Response | tuple[Response, int]:
    """HTTP errors stay JSON 4xx; anything else that broke on the USSD path is the busy screen."""
    if isinstance(exc, HTTPException):
        return http_error(exc)
    # The type says what broke; never the input (the `text` carries the PIN).
    log.error("ussd: callback failed", extra={"error": type(exc).__name__})
    if request.path == "/ussd/events":
        return Response("", status=200)
    return screen(BUSY)


@bp.post("/ussd")
def ussd() -> Response | tuple[Response, int]:
    """One hop of a USSD session (its CON/END screen). Never logs `text`: it carries the PIN."""
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
