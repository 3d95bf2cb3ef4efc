"""The USSD webhook's logic: sessions in Redis, the pure engine in menus.ussd, effects, budget."""

from __future__ import annotations

from app.ussd.events import record_event
from app.ussd.hop import BUSY, caller_number, handle_hop

__all__ = ["BUSY", "caller_number", "handle_hop", "record_event"]
