"""The broadcast job (entry point; the logic is app.sms.broadcasting)."""

from __future__ import annotations

from app.sms import broadcasting


def send_broadcast(broadcast_id: int) -> str:
    """Send every queued row of the broadcast; safe to rerun (rows are claimed before each request)."""
    return broadcasting.send_broadcast(broadcast_id)
