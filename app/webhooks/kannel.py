"""GET|POST /sms/kannel/inbound and /sms/kannel/delivery: Kannel's sms-service and dlr-url calls.

Thin: fields become our dataclasses in app.gateways.kannel, and the shared seam
(app.sms.inbound.receive, app.sms.delivery.record_delivery) does the rest. Every answer
that means "kept" is 200 with an empty body: Kannel's sms-service would send a non-empty
body back to the official as an SMS.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, request
from sqlalchemy.exc import SQLAlchemyError

from app.database import rollback_quietly
from app.errors import json_error
from app.gateways.kannel import (
    DELIVERY_FIELDS,
    INBOUND_FIELDS,
    BadCallback,
    delivery_from_fields,
    inbound_from_fields,
    raw_fields,
)
from app.sms.delivery import record_delivery
from app.sms.inbound import NotKept, receive
from app.webhooks.answers import ok, unavailable
from app.webhooks.guards import check_webhook_caller, require_fields

bp = Blueprint("kannel", __name__, url_prefix="/sms/kannel")
bp.before_request(check_webhook_caller)
log = logging.getLogger(__name__)
# Kannel's post-url sends the text as the body and these as headers.
HEADER_FIELDS = {"from": "X-Kannel-From", "to": "X-Kannel-To", "coding": "X-Kannel-Coding", "smsc": "X-Kannel-SMSC"}


def inbound_fields() -> dict[str, bytes]:
    """The query string's fields, then a form body's; a text/plain body (post-url) is the text."""
    fields = raw_fields(request.query_string)
    if request.method == "POST":
        body = request.get_data(cache=False)  # raw bytes: the text's charset is Kannel's, not UTF-8
        if request.mimetype == "application/x-www-form-urlencoded":
            fields |= raw_fields(body)
        elif body:
            fields["text"] = body
            fields.setdefault("charset", request.mimetype_params.get("charset", "").encode())
            for name, header in HEADER_FIELDS.items():
                if name not in fields and header in request.headers:
                    fields[name] = request.headers[header].encode("latin-1", errors="replace")
    return fields


@bp.route("/inbound", methods=["GET", "POST"])
def inbound() -> Response | tuple[Response, int]:
    """Keep the message (app.sms.inbound.receive), then 200 empty; 503 only when it could not be kept."""
    fields = inbound_fields()
    problem = require_fields(dict.fromkeys(fields, ""), INBOUND_FIELDS)
    if problem:
        return problem
    try:
        message = inbound_from_fields(fields)
    except BadCallback as exc:
        return json_error(400, str(exc))
    try:
        receive(message)
    except NotKept:
        return unavailable()
    return ok()


@bp.route("/delivery", methods=["GET", "POST"])
def delivery() -> Response | tuple[Response, int]:
    """A delivery report for one of our rows (its id is in the dlr-url); 200 empty once applied."""
    fields = request.values.to_dict()
    problem = require_fields(fields, DELIVERY_FIELDS)
    if problem:
        return problem
    try:
        report = delivery_from_fields(fields)
    except BadCallback as exc:
        return json_error(400, str(exc))
    try:
        if not record_delivery(report):
            log.info("kannel delivery: no such message", extra={"outbound_id": report.message_id})
    except SQLAlchemyError as exc:
        rollback_quietly()
        log.error("kannel delivery: database unreachable", extra={"error": type(exc).__name__})
        return unavailable()
    return ok()
