"""SMS jobs (entry points; the logic is app.sms.handling and app.sms.sending)."""

from __future__ import annotations

from app.sms.handling import handle_batch
from app.sms.inbound import wake
from app.sms.sending import send_rows


def handle_inbound() -> str:
    """Handle a batch of waiting inbound messages (woken by the webhook, and by `wake_inbound`)."""
    return f"{handle_batch()} inbound message(s) claimed and handled"


def wake_inbound() -> str:
    """Periodic: wake a handling job for whatever waits (a lost wake-up, an expired lease)."""
    wake()
    return "handling job enqueued"


def send_outbound(outbound_id: int) -> str:
    """Send one outbox row once; gateway 5xx and network errors raise so RQ retries with backoff."""
    sent = send_rows([outbound_id])
    return f"outbound {outbound_id}: {'handled' if sent else 'nothing to do'}"
