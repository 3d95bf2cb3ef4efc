"""Back-office records: field reports with their status history, and Melek's receipts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Timestamps, utcnow


class RecordStatus(StrEnum):
    """A back-office record's status (the values the officials read, in Indonesian)."""

    RECEIVED = "diterima"
    IN_PROGRESS = "diproses"
    DONE = "selesai"
    REJECTED = "ditolak"


class ReportRecord(Timestamps, Base):
    """A field report held by the built-in SQL back office; typed fields kept as JSON."""

    __tablename__ = "report_record"
    __table_args__ = (Index("ix_report_record_regency_created", "regency_code", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(12), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    report_type: Mapped[str] = mapped_column(String(20), index=True)
    regency_code: Mapped[str] = mapped_column(ForeignKey("regency.code"))
    official_id: Mapped[int | None] = mapped_column(ForeignKey("official.id"), index=True)
    channel: Mapped[str] = mapped_column(String(8), default="ussd")
    status: Mapped[str] = mapped_column(String(12), default=RecordStatus.RECEIVED, index=True)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    history: Mapped[list[StatusChange]] = relationship(
        back_populates="record", order_by="StatusChange.id", cascade="all, delete-orphan"
    )


class StatusChange(Base):
    """One step of a record's status history (`diterima`, `diproses`, `selesai`, `ditolak`)."""

    __tablename__ = "status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("report_record.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(String(200), default="")
    changed_by: Mapped[str] = mapped_column(String(80), default="")
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    record: Mapped[ReportRecord] = relationship(back_populates="history")


class ReportReceipt(Base):
    """What Melek confirmed to an official: one per idempotency key, whatever the back office.

    The confirmation SMS is written in the same transaction as this row, so a rerun of the
    filing job after a crash finds the receipt and sends nothing twice.
    """

    __tablename__ = "report_receipt"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    ref: Mapped[str] = mapped_column(String(12), index=True)
    report_type: Mapped[str] = mapped_column(String(20))
    official_id: Mapped[int | None] = mapped_column(ForeignKey("official.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
