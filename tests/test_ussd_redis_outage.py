"""Redis crashes under USSD traffic, or loses everything: the service recovers, no record is lost.

Each test runs a redis-server of its own (never the shared one) and kills or flushes it.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from app.backoffice import get_backoffice
from app.extensions import db
from app.models import ReportReceipt
from app.seed import DEMO_MSISDN, DEMO_PIN, seed_demo, seed_regencies
from app.ussd import BUSY
from tests.helpers import run_worker_burst
from tests.outages import OwnRedis, free_port
from tests.processes import child_env
from tests.ussd_client import GatewaySession

PIN_SCREEN = "CON Melek\nMasukkan PIN Anda:"
MAIN = "CON Melek\n1 Kirim laporan\n2 Cek status\n3 Pengumuman\n4 Akun saya"
BUDGET = 1.0  # USSD_HOP_BUDGET of the server under test
SLACK = 0.5  # HTTP and a loaded test machine on top of the hop's own budget


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    server = OwnRedis()
    server.start()
    yield server
    server.kill()


def post(url: str, session_id: str, text: str) -> tuple[int, str, float]:
    """One gateway callback over HTTP: (status, body, seconds)."""
    form = {"sessionId": session_id, "serviceCode": "*818#", "phoneNumber": DEMO_MSISDN, "networkCode": "51010"}
    data = urllib.parse.urlencode({**form, "text": text}).encode()
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, data=data, timeout=10) as response:
            return response.status, response.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), time.monotonic() - started


class Dialers:
    """Phones dialling and entering the PIN without pause, each answer kept with its time."""

    def __init__(self, url: str, phones: int) -> None:
        self.url, self.phones = url, phones
        self.answers: list[tuple[float, int, str, float]] = []  # (sent at, status, body, seconds)
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.dial, args=(n,)) for n in range(phones)]

    def dial(self, phone: int) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            session = f"outage-{phone}-{n}"
            for text in ("", DEMO_PIN):
                sent = time.monotonic()
                status, body, took = post(self.url, session, text)
                self.answers.append((sent, status, body, took))
                if body.startswith("END"):
                    break

    def __enter__(self) -> Dialers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(30)


def start_gunicorn(app: Flask, redis_url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = child_env(app, REDIS_URL=redis_url, USSD_HOP_BUDGET=str(BUDGET), WEB_CONCURRENCY="2")
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen([gunicorn, "-b", f"127.0.0.1:{port}", "wsgi:app"], env=env, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/ussd"
    for _ in range(200):
        try:
            if post(url, "warm-up", "")[0] == 200:
                return server, url
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def test_a_redis_crash_under_traffic_gives_end_screens_in_time_and_service_comes_back(
    committed_app: Flask, own_redis: OwnRedis
) -> None:
    seed_regencies()
    seed_demo()
    server, url = start_gunicorn(committed_app, own_redis.url)
    try:
        with Dialers(url, phones=4) as phones:
            time.sleep(1.0)
            assert any(body == MAIN for _, _, body, _ in phones.answers), "no login before the outage"
            own_redis.kill()
            down_from = time.monotonic()
            time.sleep(3.0)
            down_until = time.monotonic()
            during = [a for a in phones.answers if down_from + BUDGET + SLACK < a[0] < down_until]
            own_redis.start()  # empty: no sessions, no caches
        assert len(during) > 20, "the dialers should have kept dialling during the outage"
        assert all(status == 200 and body == BUSY for _, status, body, _ in during), {a[2] for a in during}
        assert max(took for *_, took in during) < BUDGET + SLACK
        assert all(status == 200 for _, status, _, _ in phones.answers)
        # Redis is back and empty: every new dial, whichever web worker takes it, asks for the PIN.
        for n in range(12):
            status, body, _ = post(url, f"after-{n}", "")
            assert (status, body) == (200, PIN_SCREEN), body
        status, body, _ = post(url, "after-0", DEMO_PIN)
        assert (status, body) == (200, MAIN)
    finally:
        server.terminate()
        server.wait(10)


def test_losing_all_of_redis_loses_no_record(committed_app: Flask, own_redis: OwnRedis) -> None:
    app = committed_app
    app.config.update(REDIS_URL=own_redis.url, USSD_WAIT_FOR_RESULT=0.05)
    app.extensions.pop("redis", None)
    seed_regencies()
    seed_demo()
    s = GatewaySession(app.test_client(), session_id="flush-1")
    s.login()
    for inp in ("4", "2", "2"):  # Akun saya > Bahasa > English
        s.send(inp)
    for inp in ("00", "1", "4", "2"):  # a field report (attendance), filed by the worker
        s.send(inp)
    assert s.send("1").startswith("END ")
    assert run_worker_burst(app)
    db.session.rollback()  # end this session's read snapshot: the worker committed since
    ref = db.session.scalars(select(ReportReceipt.ref)).one()
    half = GatewaySession(app.test_client(), session_id="flush-2")
    half.login()
    half.send("1")

    own_redis.client().flushdb()  # sessions, caches, queues, locks: all gone

    assert half.send("1") == "CON Melek\nEnter your PIN:"  # the session starts over
    again = GatewaySession(app.test_client(), session_id="flush-3")
    assert again.dial() == "CON Melek\nEnter your PIN:"  # the language is a record
    assert again.send(DEMO_PIN).startswith("CON Melek\n1 Send report")  # so is the PIN
    assert get_backoffice().find_record(ref) is not None  # and the report
    assert db.session.scalars(select(ReportReceipt.ref)).all() == [ref]
