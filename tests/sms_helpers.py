"""Helpers for SMS tests: post an inbound SMS like the gateway, read what we replied."""

from __future__ import annotations

import itertools

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import InboundMessage, OutboundMessage
from tests.helpers import run_worker_burst

_ids = itertools.count(1)


def inbound_form(sender: str, text: str, gateway_id: str | None = None) -> dict[str, str]:
    """An Africa's Talking incoming-SMS callback body."""
    gid = gateway_id or f"ATXid_t{next(_ids)}"
    return {"from": sender, "to": "818", "text": text, "date": "2026-11-29 01:00:00", "id": gid, "linkId": "L1"}


def text_in(app: Flask, sender: str, text: str, gateway_id: str | None = None) -> list[str]:
    """Post one SMS, run the workers, return the replies queued to the sender by it."""
    before = len(replies_to(sender))
    response = app.test_client().post("/sms/inbound", data=inbound_form(sender, text, gateway_id))
    assert response.status_code == 200
    run_worker_burst(app)
    return replies_to(sender)[before:]


def replies_to(number: str) -> list[str]:
    """Texts of every outbox row to `number`, oldest first."""
    query = select(OutboundMessage.text).where(OutboundMessage.to == number).order_by(OutboundMessage.id)
    return list(db.session.scalars(query))


def inbound_statuses(sender: str) -> list[tuple[str, str | None]]:
    """(status, note) of each message from `sender`, oldest first."""
    query = select(InboundMessage).where(InboundMessage.sender == sender).order_by(InboundMessage.id)
    return [(m.status, m.note) for m in db.session.scalars(query)]
