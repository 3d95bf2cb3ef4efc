"""Government field officials who carry the handsets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Timestamps


class Official(Timestamps, Base):
    """A civil servant; PIN kept only as a keyed hash (see app.security.pins)."""

    __tablename__ = "official"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    nip: Mapped[str | None] = mapped_column(String(18), unique=True)
    position: Mapped[str] = mapped_column(String(120), default="")
    regency_code: Mapped[str] = mapped_column(ForeignKey("regency.code"), index=True)
    language: Mapped[str] = mapped_column(String(2), default="id")
    pin_hash: Mapped[str | None] = mapped_column(String(128))
    pin_changed_at: Mapped[datetime | None]
