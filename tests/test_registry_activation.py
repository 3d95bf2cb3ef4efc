"""Activation codes for `AKTIF <IMEI> <kode>`: hashed, expiring, attempt-limited, audited."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import ActivationCode, AuditEvent, Handset
from app.models.base import utcnow
from app.registry import activation, service
from app.registry.audit import CLI
from app.registry.lookup import handset_for_msisdn
from bench.registry_data import imei, msisdn
from tests.registry_helpers import add, audit_actions


def pending(n: int = 1) -> str:
    code = add(n, number=None).activation_code
    assert code is not None
    return code


def test_the_right_code_from_the_sim_binds_the_number(seeded: Flask) -> None:
    code = pending()
    assert handset_for_msisdn(msisdn(1)) is None  # cached as unknown
    result = activation.activate(imei(1), code, msisdn(1).replace("+62", "0"))
    assert result.ok and result.reason == activation.ACTIVATED and result.official_id is not None
    handset = db.session.scalar(select(Handset).where(Handset.imei == imei(1)))
    assert handset is not None and (handset.status, handset.msisdn) == ("active", msisdn(1))
    caller = handset_for_msisdn(msisdn(1))
    assert caller is not None and caller.status == "active"
    assert db.session.scalar(select(ActivationCode)) is None  # one-time: gone once used
    assert activation.activate(imei(1), code, msisdn(1)).reason == activation.NOT_PENDING
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "handset.activate"))
    assert event is not None and event.actor == f"sms:{msisdn(1).replace('+62', '0')}"


def test_the_code_is_stored_only_as_a_hash(seeded: Flask) -> None:
    code = pending()
    stored = db.session.scalar(select(ActivationCode.code_hash))
    assert stored is not None and code not in stored and len(stored) == 64


def test_wrong_codes_count_and_burn_the_code_after_five(seeded: Flask) -> None:
    code = pending()
    wrong = "000000" if code != "000000" else "111111"
    results = [activation.activate(imei(1), wrong, msisdn(1)) for _ in range(5)]
    assert [r.reason for r in results] == ["wrong_code"] * 4 + ["too_many_attempts"]
    assert [r.attempts_left for r in results] == [4, 3, 2, 1, 0]
    assert activation.activate(imei(1), code, msisdn(1)).reason == activation.TOO_MANY_ATTEMPTS
    assert audit_actions(imei(1)).count("handset.activation_refused") == 6
    fresh = service.reissue_activation(CLI, imei(1))
    assert activation.activate(imei(1), fresh, msisdn(1)).ok


def test_an_expired_code_is_refused(seeded: Flask) -> None:
    code = pending()
    row = db.session.scalar(select(ActivationCode))
    assert row is not None
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert activation.activate(imei(1), code, msisdn(1)).reason == activation.EXPIRED


def test_unknown_imei_bad_sender_and_number_in_use(seeded: Flask) -> None:
    code = pending()
    assert activation.activate(imei(99), code, msisdn(1)).reason == activation.UNKNOWN_IMEI
    assert activation.activate(imei(1), code, "+14155552671").reason == activation.INVALID_MSISDN
    add(2)  # active on msisdn(2)
    assert activation.activate(imei(1), code, msisdn(2)).reason == activation.MSISDN_IN_USE
    assert activation.activate(imei(1), code, msisdn(3)).ok


def test_blocking_a_waiting_handset_revokes_its_code(seeded: Flask) -> None:
    code = pending()
    service.block(CLI, imei(1), "lost")
    service.unblock(CLI, imei(1))
    assert activation.activate(imei(1), code, msisdn(1)).reason == activation.NO_CODE
