"""Schemas of the records, incidents, announcements and crisis-contacts API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.schemas import PageArgs
from app.backoffice.reports import TYPES
from app.models.crisis import IncidentState
from app.models.record import RecordStatus


class ReportFilter(PageArgs):
    regency = fields.String(metadata={"description": "BPS code or name"})
    type = fields.String(validate=validate.OneOf(TYPES))
    status = fields.String(validate=validate.OneOf(tuple(RecordStatus)))
    date_from = fields.Date(metadata={"description": "first day (UTC), inclusive"})
    date_to = fields.Date(metadata={"description": "last day (UTC), inclusive"})


class ExportFilter(Schema):
    regency = fields.String()
    type = fields.String(validate=validate.OneOf(TYPES))
    status = fields.String(validate=validate.OneOf(tuple(RecordStatus)))
    date_from = fields.Date()
    date_to = fields.Date()


class StatusStepOut(Schema):
    status = fields.String()
    note = fields.String()
    changed_by = fields.String()
    changed_at = fields.DateTime()


class RecordOut(Schema):
    ref = fields.String()
    report_type = fields.String()
    regency_code = fields.String()
    official_id = fields.Integer(allow_none=True)
    channel = fields.String()
    status = fields.String()
    answers = fields.Dict(attribute="fields", data_key="fields")
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class RecordDetail(RecordOut):
    history = fields.List(fields.Nested(StatusStepOut))


class StatusIn(Schema):
    status = fields.String(required=True, validate=validate.OneOf(tuple(RecordStatus)))
    note = fields.String(load_default="", validate=validate.Length(max=120))


class IncidentFilter(PageArgs):
    regency = fields.String()
    state = fields.String(validate=validate.OneOf(tuple(IncidentState)))


class IncidentOut(Schema):
    ref = fields.String()
    regency_code = fields.String()
    official_id = fields.Integer(allow_none=True)
    kind = fields.String()
    place = fields.String()
    affected = fields.Integer(allow_none=True)
    severity = fields.String()
    created_at = fields.DateTime()
    alerted_at = fields.DateTime(allow_none=True)
    acknowledged_at = fields.DateTime(allow_none=True)
    acknowledged_by = fields.String(allow_none=True)
    escalated_at = fields.DateTime(allow_none=True)


class AnnouncementIn(Schema):
    regency = fields.String(load_default=None, allow_none=True, metadata={"description": "null: province-wide"})
    title = fields.String(required=True, validate=validate.Length(min=1, max=80))
    body = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class AnnouncementOut(Schema):
    id = fields.Integer()
    regency_code = fields.String(allow_none=True)
    title = fields.String()
    body = fields.String()
    published_at = fields.DateTime()


class ContactIn(Schema):
    msisdn = fields.String(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    regency = fields.String(load_default=None, allow_none=True, metadata={"description": "null: province-wide"})


class ContactOut(Schema):
    id = fields.Integer()
    regency_code = fields.String(allow_none=True)
    msisdn = fields.String()
    name = fields.String()
    created_at = fields.DateTime()
