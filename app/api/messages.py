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
from app.registry.queries import page
from menus.sms.router import redact

blp = Blueprint("messages", __name__, url_prefix="/api/v1/messages", description="SMS in and out")
blp.before_request(authenticate)


class MessageFilter(PageArgs):
    msisdn = fields.String(metadata={"description": "the other party's number, any usual spelling"})
    direction = fields.String(
        validate=validate.OneOf(("in", "out")), metadata={"description": "in, out, or leave out for both"}
    )


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
    # redact(): a PIN or activation code is starred out even before the message is handled.
    return {"id": m.id, "direction": "in", "msisdn": m.sender, "text": redact(m.text), "status": m.status,
            "note": m.note, "gateway_id": m.gateway_id, "at": m.received_at.isoformat()}  # fmt: skip


def outbound_dict(m: OutboundMessage) -> dict[str, Any]:
    return {"id": m.id, "direction": "out", "msisdn": m.to, "text": m.text, "status": m.status,
            "note": m.failure_reason, "gateway_id": m.gateway_message_id, "at": m.created_at.isoformat(),
            "parts": m.parts, "encoding": m.encoding, "kind": m.kind, "cost": m.cost}  # fmt: skip


@blp.route("")
class Messages(MethodView):
    @blp.arguments(MessageFilter, location="query")
    @blp.response(200, page_of(MessageOut))
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List SMS in and out (or only `direction=in` / `out`), newest first."""
        number = any_e164(args["msisdn"]) or args["msisdn"].strip() if args.get("msisdn") else None
        actor = current_actor()
        inbound = scoped(select(InboundMessage).order_by(InboundMessage.id.desc()), InboundMessage.sender, actor)
        inbound = inbound.where(InboundMessage.sender == number) if number else inbound
        outbound = scoped(select(OutboundMessage).order_by(OutboundMessage.id.desc()), OutboundMessage.to, actor)
        outbound = outbound.where(OutboundMessage.to == number) if number else outbound
        number_, per_page = args["page"], args["per_page"]
        if args.get("direction") == "in":
            rows, total = page(inbound, number_, per_page)
            items = [inbound_dict(row) for (row,) in rows]
        elif args.get("direction") == "out":
            rows, total = page(outbound, number_, per_page)
            items = [outbound_dict(row) for (row,) in rows]
        else:
            items, total = both_directions(inbound, outbound, number_, per_page)
        return {"items": items, "page": number_, "per_page": per_page, "total": total}


def both_directions(inbound: Select[Any], outbound: Select[Any], number: int, per_page: int) -> tuple[list[Any], int]:
    """One page of both tables merged by time: the newest `number * per_page` of each suffice."""
    enough = number * per_page
    ins, in_total = page(inbound, 1, enough)
    outs, out_total = page(outbound, 1, enough)
    merged = sorted(
        [inbound_dict(row) for (row,) in ins] + [outbound_dict(row) for (row,) in outs],
        key=lambda item: item["at"],
        reverse=True,
    )
    return merged[(number - 1) * per_page : enough], in_total + out_total
