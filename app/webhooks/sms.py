"""POST /sms/inbound and /sms/delivery: Africa's Talking SMS callbacks (thin; logic in app.sms)."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, request
from sqlalchemy.exc import SQLAlchemyError

from app.database import rollback_quietly
from app.gateways.africastalking import DELIVERY_FIELDS, INBOUND_FIELDS, delivery_from_form, inbound_from_form
from app.sms.delivery import record_delivery
from app.sms.inbound import NotKept, receive
from app.webhooks.answers import ok, unavailable
from app.webhooks.guards import check_webhook_caller, require_fields

bp = Blueprint("sms", __name__, url_prefix="/sms")
bp.before_request(check_webhook_caller)
log = logging.getLogger(__name__)


@bp.post("/inbound")
def inbound() -> Response | tuple[Response, int]:
    """Keep the message (app.sms.inbound.receive), then 200; 503 when the database did not take it."""
    form = request.form.to_dict()
    problem = require_fields(form, INBOUND_FIELDS)
    if problem:
        return problem
    try:
        receive(inbound_from_form(form))
    except NotKept:
        return unavailable()
    return ok()


@bp.post("/delivery")
def delivery() -> Response | tuple[Response, int]:
    """Delivery report: update the outbox row (app.sms.delivery); 503 while the database is down."""
    form = request.form.to_dict()
    problem = require_fields(form, DELIVERY_FIELDS)
    if problem:
        return problem
    try:
        record_delivery(delivery_from_form(form))
    except SQLAlchemyError as exc:
        rollback_quietly()
        log.error("sms delivery: database unreachable", extra={"error": type(exc).__name__})
        return unavailable()
    return ok()
