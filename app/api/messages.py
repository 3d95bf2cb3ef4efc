"""/api/v1/messages: SMS in and out with their status; regency admins see their handsets' only."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import Select, select

from app.api.auth import authenticate, current_actor
from app.api.schemas import PageArgs, page_of
from app.models import Handset, InboundMessage, OutboundMessage
from app.registry.audit import Actor
from app.registry.msisdn import any_e164
from app.registry.search import page

blp = Blueprint("messages", __name__, url_prefix="/api/v1/messages", description="SMS in and out")
blp.before_request(authenticate)


class MessageFilter(PageArgs):
    msisdn = fields.String(metadata={"description": "the other party's number, any usual spelling"})
    direction = fields.String(load_default="in", validate=validate.OneOf(("in", "out")))


class MessageOut(Schema):
    id = fields.Integer()
    direction = fields.String()
    msisdn = fields.String()
    text = fields.String()
    status = fields.String()
    note = fields.String(allow_none=True, metadata={"description": "why (handled how / failure reason)"})
    gateway_id = fields.String(allow_none=True)
    at = fields.String()
    parts = fields.Integer(allow_none=True)
    encoding = fields.String(allow_none=True)
    kind = fields.String(allow_none=True)
    cost = fields.String(allow_none=True)


def scoped(query: Select[Any], number_column: Any, actor: Actor) -> Select[Any]:
    """Limit to numbers of the actor's regency's handsets (404-style: others simply absent)."""
    if actor.regency_code is None:
        return query
    numbers = select(Handset.msisdn).where(Handset.regency_code == actor.regency_code, Handset.msisdn.is_not(None))
    return query.where(number_column.in_(numbers))


def inbound_dict(m: InboundMessage) -> dict[str, Any]:
    return {"id": m.id, "direction": "in", "msisdn": m.sender, "text": m.text, "status": m.status, "note": m.note,
            "gateway_id": m.gateway_id, "at": m.received_at.isoformat()}  # fmt: skip


def outbound_dict(m: OutboundMessage) -> dict[str, Any]:
    return {"id": m.id, "direction": "out", "msisdn": m.to, "text": m.text, "status": m.status,
            "note": m.failure_reason, "gateway_id": m.gateway_message_id, "at": m.created_at.isoformat(),
            "parts": m.parts, "encoding": m.encoding, "kind": m.kind, "cost": m.cost}  # fmt: skip


@blp.route("")
class Messages(MethodView):
    @blp.arguments(MessageFilter, location="query")
    @blp.response(200, page_of(MessageOut))
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List inbound (`direction=in`) or outbound (`out`) SMS, newest first."""
        number = any_e164(args["msisdn"]) or args["msisdn"].strip() if args.get("msisdn") else None
        actor = current_actor()
        if args["direction"] == "in":
            query = scoped(select(InboundMessage).order_by(InboundMessage.id.desc()), InboundMessage.sender, actor)
            query = query.where(InboundMessage.sender == number) if number else query
            convert: Any = inbound_dict
        else:
            query = scoped(select(OutboundMessage).order_by(OutboundMessage.id.desc()), OutboundMessage.to, actor)
            query = query.where(OutboundMessage.to == number) if number else query
            convert = outbound_dict
        rows, total = page(query, args["page"], args["per_page"])
        items = [convert(row) for (row,) in rows]
        return {"items": items, "page": args["page"], "per_page": args["per_page"], "total": total}
