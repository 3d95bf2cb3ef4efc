"""SQLite transactions: deferred by default (readers never wait), IMMEDIATE when asked."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import event, select, text

from app.database import begin_write
from app.extensions import db


def begins(app: Flask) -> list[str]:
    seen: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: seen.append(str(args[2])))
    return seen


def test_a_read_begins_deferred_and_begin_write_begins_immediate(committed_app: Flask) -> None:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL has row locks; the option changes nothing there")
    db.session.remove()
    seen = begins(committed_app)
    db.session.execute(select(text("1")))
    db.session.commit()
    begin_write()
    db.session.execute(select(text("1")))
    db.session.commit()
    assert [s for s in seen if s.startswith("BEGIN")] == ["BEGIN", "BEGIN IMMEDIATE"]


def test_begin_write_inside_an_open_transaction_changes_nothing(committed_app: Flask) -> None:
    db.session.execute(select(text("1")))
    begin_write()  # too late to choose: no error, the open transaction goes on
    assert db.session.execute(select(text("2"))).scalar() == 2
    db.session.commit()


def test_handling_an_sms_begins_as_a_writer(committed_app: Flask) -> None:
    from app.gateways import InboundSMS
    from app.sms.inbound import store_inbound
    from workers.sms import handle_inbound

    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL has row locks; the option changes nothing there")
    inbound_id = store_inbound(InboundSMS("ATXid_w1", "+6281350000001", "818", "INFO"))
    assert inbound_id is not None
    seen = begins(committed_app)
    handle_inbound()
    # The claim, then the message's own transaction: the command reads, then the reply is written.
    assert seen.count("BEGIN IMMEDIATE") >= 2
