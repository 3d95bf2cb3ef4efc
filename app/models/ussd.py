"""USSD sessions as they ended: the gateway's end-of-session notifications (and the console's phone)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class UssdSessionEnd(Base):
    """One ended USSD session; `simulated` marks the console's phone, kept out of the statistics."""

    __tablename__ = "ussd_session_end"
    __table_args__ = (Index("ix_ussd_session_end_msisdn_ended", "msisdn", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(String(64), default="")
    msisdn: Mapped[str] = mapped_column(String(32), default="")
    status: Mapped[str] = mapped_column(String(16), default="")
    duration_ms: Mapped[int | None]
    hops: Mapped[int | None]
    network_code: Mapped[str] = mapped_column(String(16), default="")
    ended_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    simulated: Mapped[bool] = mapped_column(default=False)
