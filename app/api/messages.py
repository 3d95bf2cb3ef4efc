"""/api/v1/messages: SMS in and out with their status; regency admins see their regency's only."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields, validate
from sqlalchemy import Select, func, literal, select, union_all

from app.api.auth import authenticate, current_actor
from app.api.blueprint import Blueprint
from app.api.schemas import PageArgs, page_of
from app.extensions import db
from app.models import InboundMessage, OutboundMessage
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


def scoped(query: Select[Any], model: Any, actor: Actor) -> Select[Any]:
    """Limit to messages recorded as the actor's regency's when written (others simply absent)."""
    if actor.regency_code is None:
        return query
    return query.where(model.regency_code == actor.regency_code)


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
        inbound = scoped(select(InboundMessage), InboundMessage, actor)
        inbound = inbound.where(InboundMessage.sender == number) if number else inbound
        outbound = scoped(select(OutboundMessage), OutboundMessage, actor)
        outbound = outbound.where(OutboundMessage.to == number) if number else outbound
        number_, per_page = args["page"], args["per_page"]
        if args.get("direction") == "in":
            rows, total = page(inbound.order_by(InboundMessage.id.desc()), number_, per_page)
            items = [inbound_dict(row) for (row,) in rows]
        elif args.get("direction") == "out":
            rows, total = page(outbound.order_by(OutboundMessage.id.desc()), number_, per_page)
            items = [outbound_dict(row) for (row,) in rows]
        else:
            items, total = both_directions(inbound, outbound, number_, per_page)
        return {"items": items, "page": number_, "per_page": per_page, "total": total}


def both_directions(inbound: Select[Any], outbound: Select[Any], number: int, per_page: int) -> tuple[list[Any], int]:
    """One page of both tables merged by time: a UNION ALL of (direction, id, time) paged in SQL,
    then the page's rows fetched by id; never more than `per_page` rows of either table."""
    ins = inbound.with_only_columns(literal("in").label("direction"), InboundMessage.id.label("id"),
                                    InboundMessage.received_at.label("at"))  # fmt: skip
    outs = outbound.with_only_columns(literal("out").label("direction"), OutboundMessage.id.label("id"),
                                      OutboundMessage.created_at.label("at"))  # fmt: skip
    both = union_all(ins, outs).subquery()
    total = db.session.scalar(select(func.count()).select_from(both)) or 0
    keys = db.session.execute(
        select(both.c.direction, both.c.id)
        .order_by(both.c.at.desc(), both.c.id.desc())
        .limit(per_page)
        .offset((number - 1) * per_page)
    ).all()
    in_ids = [key_id for direction, key_id in keys if direction == "in"]
    out_ids = [key_id for direction, key_id in keys if direction == "out"]
    found = {
        ("in", m.id): inbound_dict(m)
        for m in db.session.scalars(select(InboundMessage).where(InboundMessage.id.in_(in_ids)))
    }
    found |= {
        ("out", m.id): outbound_dict(m)
        for m in db.session.scalars(select(OutboundMessage).where(OutboundMessage.id.in_(out_ids)))
    }
    return [found[(direction, key_id)] for direction, key_id in keys if (direction, key_id) in found], total
