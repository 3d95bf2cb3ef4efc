"""The caller cache on the session's first two hops: no SQL when warm, never stale after a change."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import redis as redis_lib
from flask import Flask
from sqlalchemy import event

from app.backoffice.admin import publish_announcement
from app.extensions import db
from app.registry import lookup, service
from app.registry.audit import CLI
from app.registry.lookup import handset_for_msisdn
from app.sms.commands import account as sms_account
from app.ussd import hop
from bench.registry_data import imei, msisdn
from tests.registry_helpers import add
from tests.sms_helpers import text_in
from tests.ussd_client import DEMO_MSISDN, DEMO_PIN, GatewaySession


@contextmanager
def sql_seen() -> Iterator[list[str]]:
    """Every SQL statement run inside the block."""
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def session(app: Flask, n: int, phone: str = DEMO_MSISDN) -> GatewaySession:
    return GatewaySession(app.test_client(), phone=phone, session_id=f"ATUid_cache_{n}")


def test_a_warm_session_start_runs_no_sql(demo: Flask) -> None:
    assert session(demo, 1).login(DEMO_PIN).startswith("CON Melek")  # fills the cache
    with sql_seen() as statements:
        s = session(demo, 2)
        assert s.dial().startswith("CON ")
        assert "salah" in s.send("0000").lower()  # a wrong PIN is checked from the cache too
        assert s.send(DEMO_PIN).startswith("CON Melek")
    assert statements == []


def test_a_pin_changed_by_sms_is_the_one_the_next_session_checks(demo: Flask) -> None:
    assert session(demo, 1).login(DEMO_PIN).startswith("CON Melek")  # old PIN's hash cached
    assert text_in(demo, DEMO_MSISDN, f"PIN {DEMO_PIN} 4826") == ["PIN Anda sudah diganti."]
    s = session(demo, 2)
    s.dial()
    assert "salah" in s.send(DEMO_PIN).lower()
    assert session(demo, 3).login("4826").startswith("CON Melek")


def test_a_pin_changed_in_the_menu_is_the_one_the_next_session_checks(demo: Flask) -> None:
    s = session(demo, 1)
    s.login(DEMO_PIN)
    for inp in ("4", "1", DEMO_PIN, "4826", "4826"):  # account, change PIN: old, new, new again
        screen = s.send(inp)
    assert "diganti" in screen.lower() or "berhasil" in screen.lower(), screen
    s = session(demo, 2)
    s.dial()
    assert "salah" in s.send(DEMO_PIN).lower()
    assert session(demo, 3).login("4826").startswith("CON Melek")


def test_a_lookup_racing_an_sms_pin_change_cannot_keep_the_old_pin(
    demo: Flask, redis: redis_lib.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_view = lookup.load_caller(DEMO_MSISDN)  # what a lookup read before the change commits
    real = sms_account.invalidate_official_after_commit

    def change_then_race(official_id: int) -> None:
        real(official_id)
        # The racing lookup read the version now (the change is not committed) and fills after.
        version = redis.get(lookup.version_key(DEMO_MSISDN))
        redis.eval(*lookup.fill_args(DEMO_MSISDN, old_view, version))  # type: ignore[arg-type]

    monkeypatch.setattr(sms_account, "invalidate_official_after_commit", change_then_race)
    assert text_in(demo, DEMO_MSISDN, f"PIN {DEMO_PIN} 4826") == ["PIN Anda sudah diganti."]
    s = session(demo, 1)
    s.dial()
    assert "salah" in s.send(DEMO_PIN).lower()
    assert session(demo, 2).login("4826").startswith("CON Melek")


def racing(real: Callable[[str], Any], change: Callable[[], None]) -> Callable[[str], Any]:
    """A registry read that an admin's change (committed and invalidated) overtakes."""

    def load(number: str) -> Any:
        view = real(number)
        change()
        return view

    return load


def test_a_hop_that_read_before_a_block_cannot_cache_the_old_row(
    seeded: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(1)
    monkeypatch.setattr(hop, "load_caller", racing(lookup.load_caller, lambda: service.block(CLI, imei(1), "lost")))
    assert session(seeded, 1, msisdn(1)).dial().startswith("CON ")  # read before the block: fair
    monkeypatch.undo()
    screen = session(seeded, 2, msisdn(1)).dial()
    assert screen.startswith("END ") and "blokir" in screen.lower()


def test_a_lookup_that_read_before_a_block_cannot_cache_the_old_row(
    seeded: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(1)
    monkeypatch.setattr(lookup, "load_caller", racing(lookup.load_caller, lambda: service.block(CLI, imei(1), "lost")))
    caller = handset_for_msisdn(msisdn(1))
    assert caller is not None and caller.status == "active"
    monkeypatch.undo()
    caller = handset_for_msisdn(msisdn(1))
    assert caller is not None and caller.status == "blocked"


def test_the_cached_pin_hash_never_shows_in_a_repr(demo: Flask) -> None:
    caller = handset_for_msisdn(DEMO_MSISDN)
    assert caller is not None and caller.pin_hash and caller.has_pin
    assert caller.pin_hash not in repr(caller) and "pin_hash" not in repr(caller)


def test_announcements_are_read_once_per_process_and_refreshed_after_their_time(demo: Flask) -> None:
    s = session(demo, 1)
    s.login(DEMO_PIN)
    s.send("3")
    publish_announcement(None, None, "Rapat darurat", "Semua petugas hadir pukul 08.00.")
    with sql_seen() as statements:
        s.send("00")
        assert "Rapat darurat" not in s.send("3")  # kept by this process for ANNOUNCEMENTS_TTL
    assert statements == []
    kept = demo.extensions["ussd_announcements"]
    for code, (_expires, items) in list(kept.items()):
        kept[code] = (0.0, items)  # their time is up
    s.send("00")
    assert "Rapat darurat" in s.send("3")
