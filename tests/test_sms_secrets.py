"""PINs and activation codes in inbound SMS never reach the stored text or the logs."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import InboundMessage, Official
from app.security.pins import verify_pin
from app.seed import DEMO_MSISDN, DEMO_PIN
from tests.helpers import run_worker_burst
from tests.sms_helpers import inbound_form, replies_to


@pytest.mark.parametrize(
    "body",
    ["PIN {old} 5820", "PN {old} 5820", "pin{old} 5820", "P1N {old} 5820", "{old} 5820", "pin:{old},5820"],
)
def test_no_pin_is_stored_even_before_handling(demo: Flask, body: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    form = inbound_form(DEMO_MSISDN, body.format(old=DEMO_PIN))
    assert demo.test_client().post("/sms/inbound", data=form).status_code == 200
    row = db.session.scalars(select(InboundMessage)).one()
    assert DEMO_PIN not in row.text and "5820" not in row.text
    assert DEMO_PIN not in (row.secret or "")  # sealed, not plain
    run_worker_burst(demo)
    db.session.refresh(row)
    assert row.secret is None and DEMO_PIN not in row.text and "5820" not in row.text
    assert DEMO_PIN not in caplog.text and "5820" not in caplog.text


def test_the_pin_command_still_runs_on_the_sealed_text(demo: Flask) -> None:
    form = inbound_form(DEMO_MSISDN, f"PIN {DEMO_PIN} 5820")
    assert demo.test_client().post("/sms/inbound", data=form).status_code == 200
    run_worker_burst(demo)
    assert replies_to(DEMO_MSISDN) == ["PIN Anda sudah diganti."]
    official = db.session.scalars(select(Official).where(Official.name == "Siti Rahmawati")).one()
    assert verify_pin(official.id, official.pin_hash, "5820").ok


def test_a_sealed_text_is_unreadable_under_another_secret_key(demo: Flask) -> None:
    form = inbound_form(DEMO_MSISDN, f"PIN {DEMO_PIN} 5820")
    demo.test_client().post("/sms/inbound", data=form)
    demo.config["SECRET_KEY"] = "another-secret-key-0123456789"  # rotated before the worker ran
    run_worker_burst(demo)
    row = db.session.scalars(select(InboundMessage)).one()
    assert (row.status, row.secret) == ("ignored", None) and replies_to(DEMO_MSISDN) == []
