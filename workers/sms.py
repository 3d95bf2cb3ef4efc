"""SMS jobs: handle one inbound message (command + reply in one job); send one outbox row."""

from __future__ import annotations

import logging

from app.sms.sending import send_rows

log = logging.getLogger(__name__)


def send_outbound(outbound_id: int) -> str:
    """Send one outbox row once; gateway 5xx and network errors raise so RQ retries with backoff."""
    sent = send_rows([outbound_id])
    return f"outbound {outbound_id}: {'handled' if sent else 'nothing to do'}"
