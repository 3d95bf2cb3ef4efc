"""The USSD webhook's logic: sessions in Redis, the pure engine in menus.ussd, effects, budget."""

from __future__ import annotations

from app.ussd.events import record_event
from app.ussd.hop import BUSY, handle_hop

__all__ = ["BUSY", "handle_hop", "record_event"]
