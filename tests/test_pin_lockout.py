"""The PIN lockout: every guess counted atomically, escalating locks, a hard lock, an admin reset."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
import redis as redis_lib
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Handset, Official
from app.models.base import utcnow
from app.security import pins
from app.seed import DEMO_MSISDN, DEMO_PIN
from tests.registry_helpers import audit_actions, bearer, make_tokens
from tests.sms_helpers import text_in
from tests.ussd_client import GatewaySession


def demo_official() -> Official:
    handset = db.session.scalars(select(Handset).where(Handset.msisdn == DEMO_MSISDN)).one()
    official = db.session.get(Official, handset.official_id)
    assert official is not None and official.pin_hash
    return official


def guess(official: Official, pin: str) -> pins.PinCheck:
    return pins.verify_pin(official.id, official.pin_hash, pin)


def lock_out(official: Official, redis: redis_lib.Redis) -> pins.PinCheck:
    """Three wrong PINs; returns the locking answer."""
    assert guess(official, "0001").left == 2
    assert guess(official, "0002").left == 1
    return guess(official, "0003")


def test_concurrent_wrong_pins_are_each_counted_and_the_right_one_is_refused_after(
    demo: Flask, redis: redis_lib.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    official = demo_official()
    official_id, stored = official.id, official.pin_hash
    compared: list[str] = []
    real_hash = pins.hash_pin

    def counting_hash(official_id: int, pin: str) -> str:
        compared.append(pin)
        return real_hash(official_id, pin)

    monkeypatch.setattr(pins, "hash_pin", counting_hash)
    results: list[pins.PinCheck] = []
    start = threading.Barrier(12)

    def one_guess(pin: str) -> None:
        with demo.app_context():
            start.wait()
            results.append(pins.verify_pin(official_id, stored, pin))

    threads = [threading.Thread(target=one_guess, args=(f"{1000 + n}",)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(results) == 12
    assert len(compared) == pins.MAX_FAILURES  # never more guesses than allowed, however they race
    assert not any(result.ok for result in results)
    # Each guess is refused: as wrong (tries left) or as locked; at most MAX-1 see "tries left".
    assert sum(result.locked_until is None for result in results) <= pins.MAX_FAILURES - 1
    right = pins.verify_pin(official_id, stored, DEMO_PIN)
    assert not right.ok and right.locked_until is not None
    assert redis.get(f"melek:pinlockouts:{official_id}") == b"1"  # one burst, one lockout


def test_the_right_pin_resets_the_count(demo: Flask, redis: redis_lib.Redis) -> None:
    official = demo_official()
    assert guess(official, "0001").left == 2
    assert guess(official, DEMO_PIN).ok
    assert guess(official, "0002").left == 2


def test_locks_grow_longer_then_become_hard(demo: Flask, redis: redis_lib.Redis) -> None:
    official = demo_official()
    lengths = []
    for _ in pins.LOCK_STEPS:
        locked = lock_out(official, redis)
        assert locked.locked_until is not None and locked.locked_until != pins.HARD_LOCK
        lengths.append(locked.locked_until - utcnow())
        redis.delete(f"melek:pinlock:{official.id}")  # the lock's time has passed
    for got, step in zip(lengths, pins.LOCK_STEPS, strict=True):
        assert step - timedelta(seconds=5) < got <= step
    assert redis.ttl(f"melek:pinlock:{official.id}") == -2
    hard = lock_out(official, redis)
    assert hard.locked_until == pins.HARD_LOCK
    assert redis.ttl(f"melek:pinlock:{official.id}") == -1  # no expiry: an admin must reset
    assert guess(official, DEMO_PIN).locked_until == pins.HARD_LOCK


def hard_lock(official: Official, redis: redis_lib.Redis) -> None:
    for _ in range(pins.HARD_AFTER):
        redis.delete(f"melek:pinlock:{official.id}")
        lock_out(official, redis)
    assert pins.locked_until(official.id) == pins.HARD_LOCK


def test_a_hard_lock_is_explained_on_ussd_and_sms(demo: Flask, redis: redis_lib.Redis) -> None:
    hard_lock(demo_official(), redis)
    screen = GatewaySession(demo.test_client()).dial()
    assert screen.startswith("END ") and "reset admin" in screen
    [reply] = text_in(demo, DEMO_MSISDN, f"PIN {DEMO_PIN} 4826")
    assert "admin" in reply and "reset" in reply


def test_an_admin_resets_the_pin_over_the_api_audited(demo: Flask, redis: redis_lib.Redis) -> None:
    tokens = make_tokens()
    official = demo_official()
    hard_lock(official, redis)
    client = demo.test_client()
    path = f"/api/v1/officials/{official.id}/reset-pin"
    other = "balikpapan" if official.regency_code != "6471" else "samarinda"
    assert client.post(path, headers=bearer(tokens[other])).status_code == 404
    assert client.post(path, headers=bearer(tokens["viewer"])).status_code == 403
    response = client.post(path, headers=bearer(tokens["province"]))
    assert response.status_code == 200 and response.get_json()["has_pin"] is False
    assert pins.locked_until(official.id) is None
    assert "official.pin_reset" in audit_actions(str(official.id))
    assert GatewaySession(demo.test_client(), session_id="ATUid_after_reset").dial().startswith("CON Buat PIN baru")
    assert pins.verify_pin(official.id, None, "0000").left == pins.MAX_FAILURES - 1  # no wrong PIN left over


def test_the_cli_resets_a_pin(demo: Flask, redis: redis_lib.Redis) -> None:
    official = demo_official()
    lock_out(official, redis)
    result = demo.test_cli_runner().invoke(args=["officials", "reset-pin", str(official.id)])
    assert result.exit_code == 0, result.output
    assert pins.locked_until(official.id) is None
    missing = demo.test_cli_runner().invoke(args=["officials", "reset-pin", "999999"])
    assert missing.exit_code != 0 and "not found" in missing.output


def test_lock_state_is_only_in_redis_keys_named_per_official(demo: Flask, redis: redis_lib.Redis) -> None:
    official = demo_official()
    lock_out(official, redis)
    keys: Any = sorted(key.decode() for key in redis.keys("melek:pin*"))
    assert keys == [f"melek:pinlock:{official.id}", f"melek:pinlockouts:{official.id}"]
