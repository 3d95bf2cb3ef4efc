"""/api/v1/broadcasts: send a text to all handsets, some regencies or a list (province only)."""

from __future__ import annotations

import logging
from typing import Any

from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from app.api.auth import authenticate, current_actor, require_province
from app.api.blueprint import Blueprint
from app.api.schemas import StrictBoolean
from app.extensions import db
from app.models import Broadcast
from app.registry.queries import resolve_regency
from app.sms.broadcasts import STATUSES, BroadcastError, describe, start_broadcast

blp = Blueprint("broadcasts", __name__, url_prefix="/api/v1/broadcasts", description="SMS broadcasts (province only)")
blp.before_request(authenticate)
blp.before_request(require_province)
log = logging.getLogger(__name__)


class BroadcastIn(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=459))
    regencies = fields.List(fields.String(), load_default=list, metadata={"description": "BPS codes or names"})
    numbers = fields.List(fields.String(), load_default=list, metadata={"description": "instead of handsets"})
    urgent = StrictBoolean(load_default=False, metadata={"description": "send even 21:00-06:00 WITA"})


class BroadcastOut(Schema):
    id = fields.Integer()
    text = fields.String()
    regencies = fields.List(fields.String())
    numbers = fields.Integer(metadata={"description": "how many listed numbers (0: handsets)"})
    urgent = fields.Boolean()
    status = fields.String(metadata={"description": "pending, held (quiet hours), sending, done"})
    recipients = fields.Integer()
    not_before = fields.String(allow_none=True)
    created_at = fields.String()
    finished_at = fields.String(allow_none=True)
    counts = fields.Dict(keys=fields.String(validate=validate.OneOf(STATUSES)), values=fields.Integer())


@blp.route("")
class Broadcasts(MethodView):
    @blp.arguments(BroadcastIn)
    @blp.response(202, BroadcastOut)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Queue a broadcast; the bulk worker sends it in batches of at most 1,000 numbers."""
        if body["regencies"] and body["numbers"]:
            abort(422, message="Pilih kab/kota atau daftar nomor / give regencies or numbers, not both.")
        regencies = [resolve_regency(value) for value in body["regencies"]]
        try:
            broadcast = start_broadcast(
                current_actor(), body["text"], regencies, numbers=body["numbers"], urgent=body["urgent"]
            )
        except BroadcastError as exc:
            abort(422, message=str(exc))
        return describe(broadcast)


@blp.route("/<int:broadcast_id>")
class BroadcastItem(MethodView):
    @blp.response(200, BroadcastOut)
    def get(self, broadcast_id: int) -> dict[str, Any]:
        """A broadcast with its queued / sent / delivered / failed counts."""
        broadcast = db.session.get(Broadcast, broadcast_id)
        if broadcast is None:
            abort(404, message="Siaran tidak ditemukan / broadcast not found.")
        assert broadcast is not None  # abort() raised otherwise
        return describe(broadcast)
