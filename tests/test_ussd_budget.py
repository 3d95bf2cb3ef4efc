"""The hop budget: with Redis, the database or the worker down or hanging, a busy END in time."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import event

from app.extensions import db
from app.ussd import BUSY
from tests.conftest import make_app
from tests.ussd_client import DEMO_PIN, GatewaySession


@pytest.fixture
def blackhole() -> Iterator[int]:
    """A TCP port that accepts connections and never answers (a hung server)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    yield server.getsockname()[1]
    server.close()


def timed_dial(app: Flask) -> tuple[str, float]:
    started = time.monotonic()
    body = GatewaySession(app.test_client()).dial()
    return body, time.monotonic() - started


def test_redis_down_gives_busy_screen_at_once(database_url: str, tmp_path: Path) -> None:
    app = make_app(database_url, tmp_path, REDIS_URL="redis://127.0.0.1:1/0")
    body, took = timed_dial(app)
    assert body == BUSY
    assert took < 1.0


def test_redis_hanging_is_cut_at_the_budget(database_url: str, tmp_path: Path, blackhole: int) -> None:
    app = make_app(database_url, tmp_path, REDIS_URL=f"redis://127.0.0.1:{blackhole}/0", USSD_HOP_BUDGET=0.4)
    body, took = timed_dial(app)
    assert body == BUSY
    assert took < 0.7


def test_database_down_gives_busy_screen(tmp_path: Path, redis: object) -> None:
    app = make_app("postgresql+psycopg://postgres@127.0.0.1:1/none", tmp_path)
    body, took = timed_dial(app)
    assert body == BUSY
    assert took < 2.0


def test_database_hanging_is_cut_at_the_budget(tmp_path: Path, redis: object, blackhole: int) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{blackhole}/none"
    app = make_app(url, tmp_path, USSD_HOP_BUDGET=0.4)
    body, took = timed_dial(app)
    assert body == BUSY
    assert took < 0.7


def test_ordinary_hops_run_no_sql_and_survive_the_database_going_away(demo: Flask) -> None:
    s = GatewaySession(demo.test_client())
    s.login()
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert s.send("1").startswith("CON Jenis laporan:")
        assert s.send("1").startswith("CON Jenis bencana:")
        assert s.send("0").startswith("CON Jenis laporan:")
        assert s.send("00").startswith("CON Melek")
        assert s.send("4").startswith("CON Akun saya")
        assert s.send("3").startswith("CON Siti Rahmawati")
        assert statements == []
        s.send("00")
        s.send("3")  # announcements: read from SQL on a cache miss, so the listener does see SQL
        assert statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_worker_down_report_ends_within_budget_promising_sms(demo: Flask) -> None:
    s = GatewaySession(demo.test_client())
    s.login(DEMO_PIN)
    for inp in ("1", "4", "1"):
        s.send(inp)
    started = time.monotonic()
    body = s.send("1")
    took = time.monotonic() - started
    assert body == "END Laporan diterima. Nomor referensi akan dikirim via SMS."
    assert 1.4 <= took < float(demo.config["USSD_HOP_BUDGET"])
