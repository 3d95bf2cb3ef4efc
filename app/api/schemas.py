"""Request and response schemas of the admin API (they generate the OpenAPI document)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from app.models.admin import AdminRole
from app.models.handset import BlockReason, HandsetStatus


class StrictBoolean(fields.Boolean):
    """A JSON boolean only: marshmallow's Boolean also takes 0, 1, "yes" and "on"."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


MAX_PAGE = 1000  # deeper than 1,000 pages: narrow the filter instead (bounds the OFFSET scan)


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class HandsetFilter(PageArgs):
    regency = fields.String(metadata={"description": "BPS code or name"})
    status = fields.String(validate=validate.OneOf(tuple(HandsetStatus)))
    q = fields.String(metadata={"description": "IMEI, number, official's name or NIP (part of)"})


class OfficialFilter(PageArgs):
    regency = fields.String()
    q = fields.String(metadata={"description": "name or NIP (part of)"})


class AuditFilter(PageArgs):
    object_type = fields.String()
    object_id = fields.String()
    action = fields.String()


class OfficialOut(Schema):
    id = fields.Integer()
    name = fields.String()
    nip = fields.String(allow_none=True)
    position = fields.String()
    regency_code = fields.String()
    language = fields.String()
    has_pin = fields.Boolean()


class HandsetOut(Schema):
    imei = fields.String()
    tac = fields.String()
    msisdn = fields.String(allow_none=True)
    status = fields.String()
    block_reason = fields.String(allow_none=True)
    regency_code = fields.String()
    official = fields.Nested(OfficialOut, allow_none=True)
    status_changed_at = fields.DateTime()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class HandsetCreated(HandsetOut):
    activation_code = fields.String(
        allow_none=True, metadata={"description": "Shown once; the official sends AKTIF <IMEI> <code> by SMS"}
    )


class NewOfficialIn(Schema):
    name = fields.String(required=True)
    nip = fields.String(required=True)
    position = fields.String(load_default="")
    language = fields.String(load_default="id")


class HandsetCreate(Schema):
    imei = fields.String(required=True)
    regency = fields.String(metadata={"description": "BPS code or name; defaults to a regency admin's own"})
    msisdn = fields.String(allow_none=True, metadata={"description": "Leave out to issue an activation code"})
    official_id = fields.Integer(allow_none=True, strict=True)
    official = fields.Nested(NewOfficialIn, allow_none=True)
    # The CSV's flat columns are accepted too, so one row of a spreadsheet is one request.
    official_name = fields.String(metadata={"description": "Flat alternative to official.name"})
    nip = fields.String(metadata={"description": "Flat alternative to official.nip"})
    position = fields.String(metadata={"description": "Flat alternative to official.position"})
    language = fields.String(metadata={"description": "Flat alternative to official.language (id/en)"})


class HandsetPatch(Schema):
    official_id = fields.Integer(strict=True)
    regency = fields.String()


class BlockIn(Schema):
    reason = fields.String(required=True, metadata={"enum": list(tuple(BlockReason))})


class SwapIn(Schema):
    msisdn = fields.String(required=True)


class ActivationCodeOut(Schema):
    imei = fields.String()
    activation_code = fields.String()


class OfficialPatch(Schema):
    name = fields.String()
    nip = fields.String()
    position = fields.String()
    language = fields.String()
    regency = fields.String()


class AdminOut(Schema):
    id = fields.Integer()
    username = fields.String()
    role = fields.String()
    regency_code = fields.String(allow_none=True)
    active = fields.Boolean()


class AdminCreate(Schema):
    username = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(tuple(AdminRole)))
    regency = fields.String(allow_none=True)
    password = fields.String(load_only=True, allow_none=True)


class AdminCreated(AdminOut):
    token = fields.String(metadata={"description": "Shown once; only its hash is stored"})


class AuditOut(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor = fields.String()
    action = fields.String()
    object_type = fields.String()
    object_id = fields.String()
    regency_code = fields.String(allow_none=True)
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)


def page_of(item_schema: type[Schema]) -> type[Schema]:
    """A page schema: items plus page, per_page and total."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema)),
            "page": fields.Integer(),
            "per_page": fields.Integer(),
            "total": fields.Integer(),
        },
        name=f"{item_schema.__name__.removesuffix('Out')}Page",
    )
