"""Announcements read on the USSD menu, for one regency or the whole province."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class Announcement(Base):
    """An announcement; `regency_code` None means province-wide."""

    __tablename__ = "announcement"

    id: Mapped[int] = mapped_column(primary_key=True)
    regency_code: Mapped[str | None] = mapped_column(ForeignKey("regency.code"), index=True)
    title: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
