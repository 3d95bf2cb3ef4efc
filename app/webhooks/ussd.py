"""POST /ussd and /ussd/events: Africa's Talking USSD callbacks (thin; logic in app.ussd).

`POST /ussd` is answered in front of Flask, by a small WSGI layer (`UssdCallback`): it is one
fixed path and one form, and under gunicorn Flask's per-request machinery (request context,
routing, hooks, response object) cost more CPU than the hop itself (docs/ussd.md,
Benchmark). It keeps everything a Flask endpoint has here: the webhook guard, the request
id (header and log lines), the metrics, JSON errors, and an app context for the hop. Every
other path, `/ussd/events` included, goes on to Flask.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Blueprint, Flask, Response, current_app, g, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request

from app import logs
from app.errors import json_error
from app.registry.msisdn import any_e164
from app.ussd import BUSY, caller_number, handle_hop, record_event
from app.ussd.sim import ussd_sim
from app.webhooks.guards import WEBHOOK_MAX_BYTES, caller_refusal, check_webhook_caller, require_fields

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

bp = Blueprint("ussd", __name__, cli_group=None)
bp.before_request(check_webhook_caller)
bp.cli.add_command(ussd_sim)
log = logging.getLogger(__name__)

PATH = "/ussd"
ENDPOINT = "ussd.ussd"  # the metrics label, as Flask would name it
FIELDS = ("sessionId", "serviceCode", "phoneNumber", "text")


def init_app(app: Flask) -> None:
    """Serve /ussd/events (and `flask ussd-sim`) through Flask, POST /ussd in front of it."""
    app.register_blueprint(bp)
    app.wsgi_app = UssdCallback(app, app.wsgi_app)  # type: ignore[method-assign]


class UssdCallback:
    """WSGI middleware: answers `/ussd` itself and passes every other path on."""

    def __init__(self, app: Flask, wsgi_app: WSGIApplication) -> None:
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != PATH:
            return self.wsgi_app(environ, start_response)
        try:
            return self.respond(environ, start_response)
        except Exception as exc:  # never a 5xx to the gateway; the type says what broke, not the input
            log.error("ussd: callback failed", extra={"error": type(exc).__name__})
            return plain(start_response, BUSY)  # start_response is only called once all went well

    def respond(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        with self.app.app_context():
            g.request_id = logs.request_id(environ.get("HTTP_X_REQUEST_ID", ""))
            answered = answer(environ)
            seconds = time.perf_counter() - started
            status = answered.status_code if isinstance(answered, Response) else 200
            self.app.extensions["metrics"].observe(ENDPOINT, environ["REQUEST_METHOD"], status, seconds)
            request_id = g.request_id
        if isinstance(answered, Response):  # an error: JSON, as Flask's endpoints answer them
            answered.headers["X-Request-Id"] = request_id
            return answered(environ, start_response)
        return plain(start_response, answered, ("X-Request-Id", request_id))


def plain(start_response: StartResponse, text: str, *headers: tuple[str, str]) -> list[bytes]:
    """A 200 text/plain answer (a CON/END screen)."""
    body = text.encode()
    length = ("Content-Length", str(len(body)))
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"), length, *headers])
    return [body]


def answer(environ: WSGIEnvironment) -> str | Response:
    """The screen for the gateway's callback, or an error response (inside an app context)."""
    if environ["REQUEST_METHOD"] != "POST":
        response = failure(405, "Method not allowed: the gateway POSTs its callback.")
        response.headers["Allow"] = "POST"
        return response
    incoming = Request(environ)  # werkzeug's: its form limits are fixed, not read from the config
    incoming.max_content_length = WEBHOOK_MAX_BYTES
    config = current_app.config
    token = incoming.args.get("token", "") if config.get("WEBHOOK_TOKEN") else ""
    refusal = caller_refusal(config, token, incoming.remote_addr or "", PATH)
    if refusal is not None:
        return as_response(refusal)
    try:
        form = incoming.form.to_dict()
    except HTTPException as exc:  # a body over the size limits
        return failure(exc.code or 400, exc.description or exc.name)
    return ussd(form)


def ussd(form: dict[str, str]) -> str | Response:
    """One hop of a USSD session (its CON/END screen). Never logs `text`: it carries the PIN."""
    problem = require_fields(form, FIELDS)
    if problem:
        return as_response(problem)
    msisdn = caller_number(form["phoneNumber"])
    if msisdn is None:
        return failure(400, "phoneNumber is not a valid phone number.")
    return handle_hop(form["sessionId"], msisdn, form["text"])


def failure(status: int, message: str) -> Response:
    return as_response(json_error(status, message))


def as_response(error: tuple[Response, int]) -> Response:
    response, status = error
    response.status_code = status
    return response


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
