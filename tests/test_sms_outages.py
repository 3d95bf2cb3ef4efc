"""Outages under SMS traffic, with real processes: gunicorn, two RQ workers, a gateway that retries.

- Redis killed and restarted empty (this test's own redis-server): every message still gets
  200, is stored once and answered once.
- The database cut (a TCP proxy in front of PostgreSQL), with the web tier and the workers in
  different working directories, as on different hosts: the webhook answers 503 meanwhile,
  the gateway retries, and every acknowledged message is answered exactly once.
- All of Redis lost between the webhook and the worker: no message and no record lost.

Slow by nature (tens of seconds each): deselect with `-m "not slow"`.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis as redis_lib
from flask import Flask
from sqlalchemy import func, insert, make_url, select

from app.extensions import db
from app.models import Handset, InboundMessage, OutboundMessage, ReportReceipt
from app.periodic import enqueue_due
from app.seed import DEMO_MSISDN, seed_regencies
from tests.helpers import run_worker_burst
from tests.outages import CuttableProxy, Gateway, OwnRedis, free_port, wait_until
from tests.processes import child_env, kill_group, start_web_process, start_worker_process
from tests.sms_helpers import inbound_form

LEASE = "10"  # seconds: a row leased by a worker cut off mid-message is taken again soon after


def make_handsets(count: int) -> list[str]:
    """`count` active handsets without an official (they get the help text); their numbers."""
    seed_regencies()
    numbers = [f"+6281360{n:05d}" for n in range(count)]
    rows = [
        {"imei": f"35693804{n:07d}", "tac": "35693804", "msisdn": number, "regency_code": "6472", "status": "active"}
        for n, number in enumerate(numbers)
    ]
    db.session.execute(insert(Handset), rows)
    db.session.commit()
    return numbers


@contextmanager
def running(
    env: dict[str, str], tmp: Path, web_cwd: Path | None = None, worker_cwd: Path | None = None
) -> Iterator[int]:
    """gunicorn and two `sms` workers with `env`; yields the web port; stops them all."""
    port, log = free_port(), tmp / "processes.log"
    processes: list[subprocess.Popen[bytes]] = [start_web_process(env, port, log, web_cwd)]
    try:
        processes += [start_worker_process("sms", env, log, worker_cwd) for _ in range(2)]
        assert wait_until(lambda: Gateway(port).post("") == 400, 30), log.read_text()[-2000:]
        yield port
    finally:
        for process in processes:
            kill_group(process)


def messages_from(numbers: list[str], tag: str, rounds: int = 3) -> list[tuple[str, str, str]]:
    return [(f"{tag}{k}-{n}", number, "INFO") for k in range(rounds) for n, number in enumerate(numbers)]


def settled(expected: int) -> bool:
    """Every message stored and handled, every reply written (reads other processes' commits)."""
    db.session.rollback()
    waiting = db.session.scalar(select(func.count()).where(InboundMessage.status == "received"))
    stored = db.session.scalar(select(func.count()).select_from(InboundMessage))
    replies = db.session.scalar(select(func.count()).select_from(OutboundMessage))
    return (waiting, stored, replies) == (0, expected, expected)


def assert_each_answered_once(messages: list[tuple[str, str, str]], gateway: Gateway) -> None:
    assert sorted(gateway.acknowledged) == sorted(m[0] for m in messages)  # the gateway got its 200s
    db.session.rollback()
    rows = db.session.execute(select(InboundMessage.gateway_id, InboundMessage.status)).all()
    assert sorted(g for g, _ in rows) == sorted(gateway.acknowledged)  # stored once each
    assert {status for _, status in rows} == {"handled"}
    replies = Counter(db.session.scalars(select(OutboundMessage.to)))
    assert replies == Counter(sender for _, sender, _ in messages)  # answered once each


def deliver_in_background(gateway: Gateway, messages: list[tuple[str, str, str]]) -> threading.Thread:
    thread = threading.Thread(target=gateway.deliver, args=(messages, 15.0), daemon=True)
    thread.start()
    return thread


pytestmark = pytest.mark.slow


def test_redis_killed_and_restarted_empty_loses_no_sms(committed_app: Flask, tmp_path: Path) -> None:
    numbers = make_handsets(20)
    messages = messages_from(numbers, "R")
    own = OwnRedis()
    own.start()
    try:
        env = child_env(committed_app, REDIS_URL=own.url, SMS_LEASE_SECONDS=LEASE)
        with running(env, tmp_path) as port:
            gateway = Gateway(port)
            traffic = deliver_in_background(gateway, messages)
            time.sleep(1.5)
            own.kill()  # everything in Redis is gone: queued jobs, rate counters, periodic keys
            time.sleep(3)
            own.start()
            traffic.join(180)
            assert wait_until(lambda: settled(len(messages)), 120), gateway.answers
    finally:
        own.kill()
    assert set(gateway.answers) == {200}  # Redis down never costs the gateway a retry
    assert_each_answered_once(messages, gateway)


def test_database_cut_with_web_and_workers_on_other_hosts_loses_nothing(
    committed_app: Flask, database_url: str, tmp_path: Path
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the outage is a TCP proxy in front of PostgreSQL")
    numbers = make_handsets(20)
    messages = messages_from(numbers, "D", rounds=4)
    url = make_url(database_url)
    proxy = CuttableProxy(url.host or "127.0.0.1", url.port or 5432)
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    env = child_env(committed_app, DATABASE_URL=proxied, SMS_LEASE_SECONDS=LEASE)
    web_host, worker_host = tmp_path / "web-host", tmp_path / "worker-host"
    web_host.mkdir()
    worker_host.mkdir()
    try:
        with running(env, tmp_path, web_cwd=web_host, worker_cwd=worker_host) as port:
            gateway = Gateway(port)
            traffic = deliver_in_background(gateway, messages)
            time.sleep(2)
            proxy.cut()
            time.sleep(4)
            proxy.restore()
            traffic.join(180)
            assert wait_until(lambda: settled(len(messages)), 150), gateway.answers
    finally:
        proxy.close()
    assert gateway.answers.get(503) and set(gateway.answers) <= {200, 503}  # retried, never a 500
    assert_each_answered_once(messages, gateway)
    assert list(web_host.iterdir()) == [] and list(worker_host.iterdir()) == []  # nothing kept on a host's disk


def test_losing_all_of_redis_loses_no_message_and_no_record(demo: Flask, redis: redis_lib.Redis) -> None:
    client = demo.test_client()
    for n, text in enumerate(["INFO", "LAPOR KEHADIRAN rapat desa 12 orang", "LAPOR KEHADIRAN apel pagi"]):
        assert client.post("/sms/inbound", data=inbound_form(DEMO_MSISDN, text, f"ATXid_lost{n}")).status_code == 200
    redis.flushdb()  # queues, wake-ups, counters, caches: all gone
    assert "sms-wake-inbound" in enqueue_due(demo)
    run_worker_burst(demo)
    statuses = db.session.scalars(select(InboundMessage.status)).all()
    assert list(statuses) == ["handled"] * 3
    assert db.session.scalar(select(func.count()).select_from(ReportReceipt)) == 2
    assert db.session.scalar(select(func.count()).select_from(OutboundMessage)) == 3
