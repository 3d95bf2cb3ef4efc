"""POST /sms/inbound and /sms/delivery: Africa's Talking SMS callbacks."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, request
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import InboundMessage, OutboundMessage
from app.models.base import utcnow
from app.models.message import DELIVERED, FAILED
from app.queues import SMS, enqueue
from app.registry.msisdn import any_e164
from app.webhooks.guards import check_webhook_caller, require_fields

bp = Blueprint("sms", __name__, url_prefix="/sms")
bp.before_request(check_webhook_caller)
log = logging.getLogger(__name__)

INBOUND_FIELDS = ("from", "to", "text", "id")
DELIVERY_FIELDS = ("id", "status")


def ok() -> Response:
    return Response("", status=200)


def handle_job_id(inbound_id: int) -> str:
    """Deterministic: one handling job per stored inbound message."""
    return f"sms-in-{inbound_id}"


def store_inbound(gateway_id: str, sender: str, recipient: str, text: str, link_id: str | None) -> int | None:
    """Insert the message unless its gateway id is known; the new row's id, or None if a repeat.

    INSERT ... ON CONFLICT DO NOTHING, so two concurrent deliveries of one id store one row.
    """
    values = {
        "gateway_id": gateway_id,
        "sender": sender,
        "recipient": recipient,
        "text": text,
        "link_id": link_id,
        "received_at": utcnow(),
        "status": "received",
    }
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(InboundMessage).values(**values).on_conflict_do_nothing(index_elements=["gateway_id"])
    new_id = db.session.execute(stmt.returning(InboundMessage.id)).scalar()
    db.session.commit()
    return new_id


@bp.post("/inbound")
def inbound() -> Response | tuple[Response, int]:
    """Commit the message, then enqueue its handling, then answer 200."""
    form = request.form.to_dict()
    problem = require_fields(form, INBOUND_FIELDS)
    if problem:
        return problem
    sender = any_e164(form["from"]) or form["from"].strip()[:32]
    new_id = store_inbound(form["id"][:100], sender, form["to"][:32], form["text"], form.get("linkId"))
    if new_id is None:
        log.info("sms inbound: repeat delivery acknowledged", extra={"gateway_id": form["id"][:100]})
        return ok()
    try:
        enqueue(SMS, "workers.sms.handle_inbound", new_id, job_id=handle_job_id(new_id), timeout=30)
    except Exception as exc:  # committed already: the sweeper enqueues stored-but-unhandled messages
        log.warning("sms inbound: enqueue failed", extra={"inbound_id": new_id, "error": repr(exc)})
    return ok()


@bp.post("/delivery")
def delivery() -> Response | tuple[Response, int]:
    """Delivery report: update the outbox row; unknown ids are logged and acknowledged."""
    form = request.form.to_dict()
    problem = require_fields(form, DELIVERY_FIELDS)
    if problem:
        return problem
    message = db.session.scalar(select(OutboundMessage).where(OutboundMessage.gateway_message_id == form["id"]))
    if message is None:
        log.info("sms delivery: unknown message id", extra={"gateway_message_id": form["id"][:100]})
        return ok()
    status = form["status"]
    if status == "Success":
        message.status, message.delivered_at = DELIVERED, utcnow()
    elif status in ("Failed", "Rejected"):
        message.status, message.failure_reason = FAILED, (form.get("failureReason") or status)[:100]
    db.session.commit()
    return ok()
