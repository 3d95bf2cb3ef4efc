"""Broadcasts: one text to many handsets; each recipient is an outbox row with its status."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class BroadcastStatus(StrEnum):
    """Where a broadcast stands; its recipients' rows carry their own OutboundStatus."""

    PENDING = "pending"  # no recipient rows yet
    HELD = "held"  # quiet hours: waits for `not_before`, no rows yet
    SENDING = "sending"  # rows created, being sent
    DONE = "done"


class Broadcast(Base):
    """Who gets the text: all active handsets, some regencies, or a list of numbers."""

    __tablename__ = "broadcast"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    regencies: Mapped[str | None] = mapped_column(String(200))  # comma-separated BPS codes
    numbers: Mapped[str | None] = mapped_column(Text)  # comma-separated E.164 numbers
    urgent: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(12), default=BroadcastStatus.PENDING, index=True)
    created_by: Mapped[str] = mapped_column(String(80), default="")
    recipients: Mapped[int] = mapped_column(default=0)
    not_before: Mapped[datetime | None]  # quiet hours hold a non-urgent broadcast until then
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
