"""SMS benchmark: webhook msg/s, end to end with 1 and 2 workers, a 14,000-handset broadcast.

    python -m bench.sms_bench --database-url postgresql+psycopg://.../melek_bench \
        --redis-url redis://127.0.0.1:6379/14 [--messages 2000]

The Redis index given is FLUSHED and the database's tables are dropped and re-created: use
ones of your own. The gateway is the fake Africa's Talking server of tests/fake_at.py,
reached by the real SDK over loopback HTTP. Figures print as they are measured.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

import redis
from flask import Flask
from sqlalchemy import delete, insert

from app import create_app
from app.extensions import db
from app.models import Base, Broadcast, Handset, InboundMessage, OutboundMessage
from app.seed import REGENCIES, seed_regencies
from tests.fake_at import FakeAT, running_fake

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def environment(args: argparse.Namespace, fake_url: str) -> dict[str, str]:
    """The settings every process of the benchmark runs with."""
    return os.environ | {
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "MELEK_ENV": "development",
        "SECRET_KEY": "bench-secret-key-0123456789",  # PostgreSQL refuses the development secrets
        "PIN_PEPPER": "bench-pepper-0123456789",
        "SMS_GATEWAY": "africastalking",
        "AT_USERNAME": "melek",
        "AT_API_KEY": "bench",
        "AT_API_BASE_URL": fake_url,
        "LOG_LEVEL": "WARNING",
    }


def prepare(env: dict[str, str]) -> list[str]:
    """Fresh schema, the regencies and 14,000 active handsets; their numbers."""
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], env=env, cwd=ROOT, check=True)
    numbers = []
    with app_for(env).app_context():
        seed_regencies()
        rows = []
        for r, (code, _, _) in enumerate(REGENCIES):
            for n in range(1000):
                serial = r * 10_000 + n
                numbers.append(f"+62812{serial:07d}")
                rows.append({"imei": f"35693803{serial:07d}", "tac": "35693803", "msisdn": numbers[-1],
                             "regency_code": code, "status": "active"})  # fmt: skip
        db.session.execute(insert(Handset), rows)
        db.session.commit()
    return numbers


def app_for(env: dict[str, str]) -> Flask:
    """An app in this process with the benchmark's settings."""
    keys = ("DATABASE_URL", "REDIS_URL", "SMS_GATEWAY", "AT_USERNAME", "AT_API_KEY", "AT_API_BASE_URL")
    keys += ("SECRET_KEY", "PIN_PEPPER")
    return create_app({key: env[key] for key in keys})


def clear_messages(env: dict[str, str]) -> None:
    with app_for(env).app_context():
        for model in (InboundMessage, OutboundMessage, Broadcast):
            db.session.execute(delete(model))
        db.session.commit()
    redis.Redis.from_url(env["REDIS_URL"]).flushdb()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(cmd: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, start_new_session=True)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a process this benchmark started (its own process group), and wait for it."""
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def post_all(port: int, numbers: list[str], count: int, tag: str, threads: int = 8) -> float:
    """POST `count` inbound SMS over keep-alive HTTP from `threads` clients; seconds taken."""

    def client(offset: int) -> None:
        conn = HTTPConnection("127.0.0.1", port)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        for i in range(offset, count, threads):
            body = urlencode({"from": numbers[i % len(numbers)], "to": "818", "text": "INFO", "id": f"{tag}{i}"})
            conn.request("POST", "/sms/inbound", body, headers)
            response = conn.getresponse()
            response.read()
            assert response.status == 200, response.status
        conn.close()

    began = time.perf_counter()
    pool = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return time.perf_counter() - began


def wait_for(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("benchmark step did not finish in time")
        time.sleep(0.01)


def bench_webhook(env: dict[str, str], port: int, numbers: list[str], count: int) -> None:
    clear_messages(env)
    seconds = post_all(port, numbers, count, "W")
    print(f"webhook: {count} messages in {seconds:.2f} s = {count / seconds:.0f} msg/s (persist + enqueue)")


def bench_end_to_end(
    env: dict[str, str], port: int, numbers: list[str], count: int, fake: FakeAT, workers: int, preload: bool
) -> None:
    """Webhook -> worker -> reply at the fake gateway. `preload`: post first, then time the drain."""
    clear_messages(env)
    fake.requests.clear()
    tag = f"{'D' if preload else 'E'}{workers}-"
    if preload:
        post_all(port, numbers, count, tag)
    procs = [start([str(BIN / "flask"), "--app", "wsgi", "worker", "-q", "sms"], env) for _ in range(workers)]
    try:
        if not preload:
            time.sleep(2.0)  # workers up and listening
        began = time.perf_counter()
        if not preload:
            post_all(port, numbers, count, tag)
        wait_for(lambda: len(fake.requests) >= count, timeout=300)
        seconds = time.perf_counter() - began
    finally:
        for proc in procs:
            stop(proc)
    what = "queue drained (posted first, worker start included)" if preload else "posting and handling together"
    print(f"end to end, {workers} worker(s), {what}: {count} in {seconds:.2f} s = {count / seconds:.0f} msg/s")


def bench_broadcast(env: dict[str, str], fake: FakeAT) -> None:
    from app.sms.broadcasts import create_broadcast
    from workers.broadcasts import send_broadcast

    clear_messages(env)
    fake.requests.clear()
    with app_for(env).app_context():
        began = time.perf_counter()
        broadcast = create_broadcast("Rapat koordinasi Senin 09.00 WITA di Kantor Gubernur.", urgent=True)
        db.session.commit()
        send_broadcast(broadcast.id)
        seconds = time.perf_counter() - began
    sent = len(fake.numbers_sent())
    print(f"broadcast: {sent} recipients handed over in {seconds:.2f} s with {len(fake.requests)} requests")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="sqlite:///" + tempfile.mkdtemp() + "/bench.db")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()
    for fake in running_fake():
        env = environment(args, fake.url)
        with app_for(env).app_context():
            Base.metadata.drop_all(db.engine)
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        numbers = prepare(env)
        port = free_port()
        # the project's gunicorn.conf.py: sync workers, WEB_CONCURRENCY (default 2 x CPUs + 1)
        web = start([str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"], env)
        try:
            time.sleep(2.5)
            web_workers = env.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1))
            where = args.database_url.split("@")[-1]
            print(f"database {where}, {os.cpu_count()} CPUs, gunicorn {web_workers} sync workers")
            bench_webhook(env, port, numbers, args.messages)
            for workers in (1, 2):
                bench_end_to_end(env, port, numbers, args.messages, fake, workers, preload=False)
                bench_end_to_end(env, port, numbers, args.messages, fake, workers, preload=True)
            bench_broadcast(env, fake)
        finally:
            stop(web)


if __name__ == "__main__":
    main()
