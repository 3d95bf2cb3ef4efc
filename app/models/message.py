"""SMS in and out: the inbound log and the transactional outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow

# Inbound statuses
RECEIVED, HANDLED, IGNORED, RATE_LIMITED = "received", "handled", "ignored", "rate_limited"
# Outbound statuses
QUEUED, SENT, DELIVERED, FAILED, NOT_SENT = "queued", "sent", "delivered", "failed", "not_sent"
SENDING = "sending"  # claimed by a send job; the gateway may or may not have it yet


class InboundMessage(Base):
    """An SMS the gateway handed us; `gateway_id` makes retried callbacks idempotent."""

    __tablename__ = "inbound_message"
    __table_args__ = (Index("ix_inbound_message_status_received", "status", "received_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gateway_id: Mapped[str] = mapped_column(String(100), unique=True)
    sender: Mapped[str] = mapped_column(String(32), index=True)
    recipient: Mapped[str] = mapped_column(String(32), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    link_id: Mapped[str | None] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default=RECEIVED)
    handled_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(String(200))
    # Whose message it was when it arrived (the sender's handset then); the API scopes by
    # these, never by today's bindings, which move (app.sms.scope).
    regency_code: Mapped[str | None] = mapped_column(ForeignKey("regency.code"), index=True)
    official_id: Mapped[int | None] = mapped_column(ForeignKey("official.id"), index=True)


class OutboundMessage(Base):
    """An SMS we send; written in the same transaction as the change that causes it."""

    __tablename__ = "outbound_message"
    __table_args__ = (
        Index("ix_outbound_message_status_created", "status", "created_at"),
        # One row per recipient of a broadcast, whatever reruns its job (replies have no broadcast).
        UniqueConstraint("broadcast_id", "to", name="uq_outbound_message_broadcast_id_to"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(16), index=True)
    text: Mapped[str] = mapped_column(Text)
    encoding: Mapped[str] = mapped_column(String(8), default="GSM-7")
    parts: Mapped[int] = mapped_column(default=1)
    kind: Mapped[str] = mapped_column(String(16), default="reply")
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    failure_reason: Mapped[str | None] = mapped_column(String(100))
    gateway_message_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    cost: Mapped[str | None] = mapped_column(String(32))
    attempts: Mapped[int] = mapped_column(default=0)
    official_id: Mapped[int | None] = mapped_column(ForeignKey("official.id"), index=True)
    regency_code: Mapped[str | None] = mapped_column(ForeignKey("regency.code"), index=True)  # when queued
    broadcast_id: Mapped[int | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]  # when a send job last moved it to `sending`
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
