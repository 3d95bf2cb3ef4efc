"""All models, importable from one place (Alembic sees them through this module)."""

from app.models.activation import ActivationCode
from app.models.admin import Admin, ApiToken
from app.models.announcement import Announcement
from app.models.audit import AuditEvent
from app.models.base import Base
from app.models.broadcast import Broadcast
from app.models.crisis import CrisisContact, Incident
from app.models.handset import Handset
from app.models.message import InboundMessage, OutboundMessage
from app.models.official import Official
from app.models.record import ReportReceipt, ReportRecord, StatusChange
from app.models.regency import Regency
from app.models.ussd import UssdSessionEnd

__all__ = [
    "ActivationCode",
    "Admin",
    "Announcement",
    "ApiToken",
    "AuditEvent",
    "Base",
    "Broadcast",
    "CrisisContact",
    "Handset",
    "InboundMessage",
    "Incident",
    "Official",
    "OutboundMessage",
    "Regency",
    "ReportReceipt",
    "ReportRecord",
    "StatusChange",
    "UssdSessionEnd",
]
