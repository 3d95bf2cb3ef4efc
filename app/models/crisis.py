"""Crisis Center: incidents raised by disaster reports, and who is alerted about them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class IncidentState(StrEnum):
    """How far an incident has got (derived from its timestamps; filters in the API and console)."""

    OPEN = "open"  # not acknowledged yet
    ACKNOWLEDGED = "acknowledged"
    ESCALATED = "escalated"


class Incident(Base):
    """A disaster/emergency report as the Crisis Center sees it, keyed by the record's ref."""

    __tablename__ = "incident"
    __table_args__ = (
        Index("ix_incident_open", "acknowledged_at", "escalated_at", "created_at"),
        Index("ix_incident_closed_created", "closed_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(12), unique=True)
    regency_code: Mapped[str] = mapped_column(ForeignKey("regency.code"), index=True)
    official_id: Mapped[int | None] = mapped_column(ForeignKey("official.id"))
    kind: Mapped[str] = mapped_column(String(40), default="")
    place: Mapped[str] = mapped_column(String(80), default="")
    affected: Mapped[int | None]
    severity: Mapped[str] = mapped_column(String(12), default="biasa")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    alerted_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(80))  # a number (SMS OK) or an admin
    escalated_at: Mapped[datetime | None]
    # The Crisis Center's handling (console): who responds, and how it ended. The reporter is
    # texted when `acknowledged_at` and `closed_at` are set, by the conditional UPDATE that sets them.
    assigned_to: Mapped[str | None] = mapped_column(String(80))
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(80))
    outcome: Mapped[str | None] = mapped_column(String(200))


class CrisisContact(Base):
    """Someone the Crisis Center alerts: for one regency, or province-wide when None."""

    __tablename__ = "crisis_contact"
    __table_args__ = (Index("uq_crisis_contact_scope_msisdn", "regency_code", "msisdn", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    regency_code: Mapped[str | None] = mapped_column(ForeignKey("regency.code"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    msisdn: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
