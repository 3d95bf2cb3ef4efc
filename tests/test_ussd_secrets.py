"""The PIN rides in every later `text`: it must never reach the logs, Redis or job arguments."""

from __future__ import annotations

import logging

import pytest
import redis as redis_lib
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Handset, Official
from app.registry.lookup import invalidate_msisdn
from app.security.pins import set_pin
from app.ussd import hop
from tests.ussd_client import DEMO_MSISDN, GatewaySession

PIN = "583927"  # six digits: no chance of turning up inside a hex digest by accident
NEW_PIN = "604815"


def everything_in(redis: redis_lib.Redis) -> bytes:
    """Every key and value of the test Redis database, whatever its type."""
    out = []
    for key in redis.scan_iter():
        out.append(key)
        kind = redis.type(key)
        if kind == b"string":
            out.append(redis.get(key) or b"")
        elif kind == b"hash":
            out.extend(k + v for k, v in redis.hgetall(key).items())
        elif kind == b"list":
            out.extend(redis.lrange(key, 0, -1))
        elif kind == b"set":
            out.extend(redis.smembers(key))
        elif kind == b"zset":
            out.extend(redis.zrange(key, 0, -1))
        elif kind == b"stream":
            out.extend(b"".join(k + v for k, v in fields.items()) for _id, fields in redis.xrange(key))
    return b"\n".join(out)


def test_no_pin_in_logs_or_redis(demo: Flask, redis: redis_lib.Redis, caplog: pytest.LogCaptureFixture) -> None:
    demo.config["USSD_WAIT_FOR_RESULT"] = 0.05
    handset = db.session.scalars(select(Handset).where(Handset.msisdn == DEMO_MSISDN)).one()
    official = db.session.get(Official, handset.official_id)
    assert official is not None
    set_pin(official, PIN)
    db.session.commit()
    invalidate_msisdn(DEMO_MSISDN)
    caplog.set_level(logging.DEBUG)
    s = GatewaySession(demo.test_client())
    s.dial()
    s.send("111111")  # a wrong PIN too
    s.send(PIN)
    for inp in ("4", "1", PIN, NEW_PIN, NEW_PIN):  # change the PIN
        s.send(inp)
    for inp in ("1", "1", "1", "Desa Loa Janan", "12", "1"):  # and file a report
        s.send(inp)
    assert s.send("1").startswith("END ")
    s.repeat()
    other = GatewaySession(demo.test_client(), session_id="ATUid_test_2")
    other.login(NEW_PIN)
    other.send("2")
    other.send("12345671")  # a status lookup: job arguments in Redis
    demo.test_client().post(
        "/ussd/events", data={"sessionId": s.session_id, "phoneNumber": DEMO_MSISDN, "input": PIN, "status": "Failed"}
    )
    stored = everything_in(redis)
    assert b"rq:job:" in stored  # the jobs are there to be searched
    for secret in (PIN, NEW_PIN, s.text, other.text):
        assert secret.encode() not in stored
        for record in caplog.records:
            assert secret not in record.getMessage()
            assert secret not in repr(record.__dict__)


def test_a_failing_hop_logs_what_broke_and_where_but_not_the_input(
    demo: Flask, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(record: object, session_id: str, text: str) -> None:
        raise ValueError(f"cannot read {text!r}")  # an error whose message carries the input

    s = GatewaySession(demo.test_client())
    s.dial()
    monkeypatch.setattr(hop, "newest_input", broken)
    caplog.set_level(logging.DEBUG)
    assert s.send(PIN) == hop.BUSY
    [record] = [r for r in caplog.records if r.getMessage() == "ussd: hop failed"]
    assert record.__dict__["error"] == "ValueError" and "broken" in record.__dict__["where"]
    for logged in caplog.records:
        assert PIN not in repr(logged.__dict__) and PIN not in logged.getMessage()
