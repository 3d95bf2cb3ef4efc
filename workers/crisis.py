"""Crisis Center jobs, on the `crisis` queue (the first a worker drains)."""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from app.backoffice import crisis
from app.models.base import utcnow


def alert_incident(incident_id: int) -> int:
    """Text the incident's regency and province contacts, once; how many SMS were queued."""
    return crisis.send_alert(int(incident_id))


def escalate_overdue(now: str | None = None) -> list[str]:
    """Escalate unacknowledged incidents past CRISIS_ESCALATE_AFTER to the province, once each.

    `now` (ISO 8601) lets tests move time forward; the scheduler runs it without.
    """
    moment = datetime.fromisoformat(now) if now else utcnow()
    return crisis.escalate_overdue(moment, float(current_app.config["CRISIS_ESCALATE_AFTER"]))
