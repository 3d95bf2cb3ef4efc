"""SMS in and out: the inbound log (also the queue of messages to handle) and the outbox."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class InboundStatus(StrEnum):
    """Where an inbound SMS stands; only `received` rows are waiting to be handled."""

    RECEIVED = "received"
    HANDLED = "handled"
    IGNORED = "ignored"  # automated sender, refusal already sent today: never answered
    RATE_LIMITED = "rate_limited"  # over the per-number limit: kept, never handled
    FAILED = "failed"  # handling raised on every try: kept for an operator


WAITING = text("status = 'received'")


class OutboundStatus(StrEnum):
    """Where an outbox row stands."""

    QUEUED = "queued"
    SENDING = "sending"  # claimed by a sender; the gateway may or may not have it yet
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    NOT_SENT = "not_sent"  # the keep gateway: nothing leaves


class InboundMessage(Base):
    """An SMS the gateway handed us; `gateway_id` makes retried callbacks idempotent.

    The table is the queue of work: a worker claims `received` rows by setting `lease_until`
    (and counting `attempts`); a lease that expires lets another worker take the row again.
    `secret` holds the original text, sealed (app.sms.secrets), while `text` is redacted;
    handling clears it.
    """

    __tablename__ = "inbound_message"
    __table_args__ = (
        Index("ix_inbound_message_status_received", "status", "received_at"),
        # The queue's own index: only waiting rows, in claim order (an index scan skips the
        # entries of rows handled since, instead of rechecking each in the table).
        Index("ix_inbound_message_waiting", "id", postgresql_where=WAITING, sqlite_where=WAITING),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    gateway_id: Mapped[str] = mapped_column(String(100), unique=True)
    sender: Mapped[str] = mapped_column(String(32), index=True)
    recipient: Mapped[str] = mapped_column(String(32), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    secret: Mapped[str | None] = mapped_column(Text)
    link_id: Mapped[str | None] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default=InboundStatus.RECEIVED)
    attempts: Mapped[int] = mapped_column(default=0)
    lease_until: Mapped[datetime | None]
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
    status: Mapped[str] = mapped_column(String(16), default=OutboundStatus.QUEUED)
    failure_reason: Mapped[str | None] = mapped_column(String(100))
    gateway_message_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    cost: Mapped[str | None] = mapped_column(String(32))
    attempts: Mapped[int] = mapped_column(default=0)
    official_id: Mapped[int | None] = mapped_column(ForeignKey("official.id"), index=True)
    regency_code: Mapped[str | None] = mapped_column(ForeignKey("regency.code"), index=True)  # when queued
    broadcast_id: Mapped[int | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]  # when a sender last moved it to `sending`
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
