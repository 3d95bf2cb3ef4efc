"""Issued handsets, identified by IMEI and bound to an official and a SIM."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Timestamps, utcnow


class HandsetStatus(StrEnum):
    """A handset's life: provisioned (waiting for AKTIF), active, blocked, retired."""

    PROVISIONED = "provisioned"
    ACTIVE = "active"
    BLOCKED = "blocked"
    RETIRED = "retired"


class BlockReason(StrEnum):
    """Why a handset was blocked."""

    LOST = "lost"
    STOLEN = "stolen"
    DAMAGED = "damaged"
    OTHER = "other"


class Handset(Timestamps, Base):
    """One handset; an MSISDN belongs to at most one active handset."""

    __tablename__ = "handset"
    __table_args__ = (
        # At most one active handset per number, enforced by the database itself.
        Index(
            "uq_handset_active_msisdn",
            "msisdn",
            unique=True,
            postgresql_where=text("status = 'active'"),
            sqlite_where=text("status = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    imei: Mapped[str] = mapped_column(String(15), unique=True)
    tac: Mapped[str] = mapped_column(String(8), index=True)
    msisdn: Mapped[str | None] = mapped_column(String(16), index=True)
    official_id: Mapped[int | None] = mapped_column(ForeignKey("official.id"), index=True)
    regency_code: Mapped[str] = mapped_column(ForeignKey("regency.code"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=HandsetStatus.PROVISIONED, index=True)
    block_reason: Mapped[str | None] = mapped_column(String(12))
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
