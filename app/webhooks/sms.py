"""POST /sms/inbound and /sms/delivery: Africa's Talking SMS callbacks."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, request
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.models.base import utcnow
from app.registry.msisdn import any_e164
from app.sms import spool
from app.sms.delivery import apply_or_hold
from app.sms.inbound import admit_for_handling, mark_rate_limited, store_inbound
from app.webhooks.guards import check_webhook_caller, require_fields
from menus.sms.router import redact

bp = Blueprint("sms", __name__, url_prefix="/sms")
bp.before_request(check_webhook_caller)
log = logging.getLogger(__name__)

INBOUND_FIELDS = ("from", "to", "text", "id")
DELIVERY_FIELDS = ("id", "status")


def ok() -> Response:
    return Response("", status=200)


@bp.post("/inbound")
def inbound() -> Response | tuple[Response, int]:
    """Commit the message (or spool it if the database is down), enqueue its handling, 200."""
    form = request.form.to_dict()
    problem = require_fields(form, INBOUND_FIELDS)
    if problem:
        return problem
    sender = any_e164(form["from"]) or form["from"].strip()[:32]
    text = form["text"].replace("\x00", "")  # PostgreSQL text cannot hold NUL
    try:
        new_id = store_inbound(form["id"], sender, form["to"], text, form.get("linkId"))
    except SQLAlchemyError as exc:
        return spool_instead(form, sender, exc)
    if new_id is None:
        # A gateway retry of a stored message: acknowledged, and not counted against the
        # sender's rate limit (the gateway retries every minute for 12 hours).
        log.info("sms inbound: repeat delivery acknowledged", extra={"gateway_id": form["id"][:100]})
    elif not admit_for_handling(new_id, sender):  # rate limit, then the inbox (app.sms.inbox)
        log.warning("sms inbound: rate limited", extra={"inbound_id": new_id})
        try:
            mark_rate_limited(new_id, redact(text))
        except SQLAlchemyError as exc:  # stored and acknowledged; left `received`, the sweeper handles it
            db.session.rollback()
            log.error("sms inbound: not marked rate limited", extra={"inbound_id": new_id, "error": type(exc).__name__})
    return ok()


def spool_instead(form: dict[str, str], sender: str, exc: Exception) -> Response:
    """The database is unreachable: keep the message on local disk and still answer 200."""
    log.error("sms inbound: database unreachable, spooling", extra={"error": type(exc).__name__})
    try:
        db.session.rollback()
    except SQLAlchemyError:
        pass
    record = {
        "id": form["id"],
        "from": sender,
        "to": form["to"],
        "text": form["text"],
        "linkId": form.get("linkId"),
        "received_at": utcnow().isoformat(),
    }
    try:
        spool.append(record)
    except OSError:
        # Nowhere to keep it: a non-200 makes the gateway retry in a minute (for 12 hours).
        log.exception("sms inbound: spool write failed")
        return Response("temporarily unavailable", status=503)
    return ok()


@bp.post("/delivery")
def delivery() -> Response | tuple[Response, int]:
    """Delivery report: update the outbox row; an id not stored yet is held and retried (app.sms.delivery)."""
    form = request.form.to_dict()
    problem = require_fields(form, DELIVERY_FIELDS)
    if problem:
        return problem
    report = {"id": form["id"][:100], "status": form["status"][:20], "failureReason": form.get("failureReason")}
    try:
        apply_or_hold(report)
    except SQLAlchemyError as exc:
        log.error("sms delivery: database unreachable, spooling", extra={"error": type(exc).__name__})
        try:
            db.session.rollback()
            spool.append(report, kind="delivery")
        except (SQLAlchemyError, OSError):
            log.exception("sms delivery: spool write failed")
            return Response("temporarily unavailable", status=503)
    return ok()
