"""All models, importable from one place (Alembic sees them through this module)."""

from app.models.announcement import Announcement
from app.models.base import Base
from app.models.broadcast import Broadcast
from app.models.handset import Handset
from app.models.message import InboundMessage, OutboundMessage
from app.models.official import Official
from app.models.regency import Regency

__all__ = ["Announcement", "Base", "Broadcast", "Handset", "InboundMessage", "Official", "OutboundMessage", "Regency"]
