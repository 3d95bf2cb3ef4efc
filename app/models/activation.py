"""One-time activation codes that bind a SIM to a provisioned handset (`AKTIF` by SMS)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class ActivationCode(Base):
    """The current code of a handset (one per handset; issuing again replaces it)."""

    __tablename__ = "activation_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    handset_id: Mapped[int] = mapped_column(ForeignKey("handset.id"), unique=True)
    code_hash: Mapped[str] = mapped_column(String(80))
    expires_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
