"""Kannel benchmark: SMS handed to smsbox per second, a broadcast, and end to end with the fake SMSC.

    python -m bench.kannel_bench --database-url postgresql+psycopg://.../melek_bench \
        --redis-url redis://127.0.0.1:6379/14 [--messages 2000]

Needs Debian's `kannel` and `kannel-extras` (bearerbox, smsbox, fakesmsc); starts them on free
ports with the test configuration (tests/kannel_processes.py). The Redis index given is
FLUSHED and the database's tables are dropped and re-created: use ones of your own. Melek runs
under gunicorn (its gunicorn.conf.py) with `flask worker` processes, as in bench/sms_bench.py,
whose AT figures these stand next to. Figures print as they are measured.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.gateways.kannel import KannelGateway
from app.models import Base, OutboundMessage
from bench.sms_bench import BIN, clear_messages, free_port, prepare, start, stop, wait_for
from tests import kannel_processes as kp

KEYS = ("DATABASE_URL", "REDIS_URL", "SMS_GATEWAY", "SECRET_KEY", "PIN_PEPPER") + tuple(
    f"KANNEL_{name}" for name in ("SENDSMS_URL", "USERNAME", "PASSWORD", "CALLBACK_URL")
)
TEXT = "Rapat koordinasi Senin 09.00 WITA di Kantor Gubernur."


def environment(args: argparse.Namespace, kannel: kp.Kannel, melek: str) -> dict[str, str]:
    """The settings every process of the benchmark runs with."""
    return os.environ | {
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "MELEK_ENV": "development",
        "SMS_GATEWAY": "kannel",
        "KANNEL_SENDSMS_URL": kannel.sendsms_url,
        "KANNEL_USERNAME": kp.USERNAME,
        "KANNEL_PASSWORD": kp.PASSWORD,
        "KANNEL_CALLBACK_URL": melek,
        "LOG_LEVEL": "WARNING",
        # PostgreSQL refuses the development secrets
        "SECRET_KEY": "bench-secret-key-0123456789",
        "PIN_PEPPER": "bench-pepper-0123456789",
        # bench.sms_bench.prepare builds its app from these too
        **dict.fromkeys(("AT_USERNAME", "AT_API_KEY", "AT_API_BASE_URL"), ""),
    }


def app_for(env: dict[str, str]) -> Flask:
    return create_app({key: env[key] for key in KEYS})


def bench_handover(kannel: kp.Kannel, numbers: list[str], count: int) -> None:
    """The adapter alone: `count` sendsms requests, one kept-alive connection, no database."""
    gateway = KannelGateway(kannel.sendsms_url, kp.USERNAME, kp.PASSWORD)
    with kp.FakeSMSC(kannel) as smsc:
        began = time.perf_counter()
        for i in range(count):
            [result] = gateway.send(TEXT, [numbers[i % len(numbers)]])
            assert result.outcome == "accepted", result
        seconds = time.perf_counter() - began
        smsc.wait_for(count, timeout=300)
        through = time.perf_counter() - began
    gateway.close()
    print(f"handed to smsbox: {count} in {seconds:.2f} s = {count / seconds:.0f} msg/s (one connection, no DLR)")
    print(f"  out at the fake SMSC: all {count} after {through:.2f} s = {count / through:.0f} msg/s")


def delivered(env: dict[str, str]) -> int:
    with app_for(env).app_context():
        query = select(func.count()).select_from(OutboundMessage).where(OutboundMessage.status == "delivered")
        return int(db.session.scalar(query) or 0)


def bench_broadcast(env: dict[str, str], kannel: kp.Kannel, recipients: int) -> None:
    """A broadcast to every active handset (`recipients` of them) through the send path, dlr-url and all."""
    from app.sms.broadcasts import create_broadcast
    from workers.broadcasts import send_broadcast

    clear_messages(env)
    with kp.FakeSMSC(kannel) as smsc, app_for(env).app_context():
        began = time.perf_counter()
        broadcast = create_broadcast(TEXT, regencies=None, urgent=True)
        db.session.commit()
        send_broadcast(broadcast.id)
        seconds = time.perf_counter() - began
        smsc.wait_for(recipients, timeout=600)
        out = time.perf_counter() - began
        wait_for(lambda: delivered(env) >= recipients, timeout=600)
        reported = time.perf_counter() - began
    print(f"broadcast: {recipients} recipients handed to smsbox in {seconds:.2f} s = {recipients / seconds:.0f}/s")
    print(f"  all out at the fake SMSC after {out:.2f} s; all `delivered` (DLR via Melek) after {reported:.2f} s")


def bench_end_to_end(env: dict[str, str], kannel: kp.Kannel, numbers: list[str], count: int, workers: int) -> None:
    """`count` INFO messages injected at the fake SMSC; time until every reply comes out there."""
    clear_messages(env)
    procs = [start([str(BIN / "flask"), "--app", "wsgi", "worker", "-q", "sms"], env) for _ in range(workers)]
    try:
        time.sleep(2.0)  # workers up and listening
        senders = numbers[:1000]  # ~2 messages per number: well inside the per-number rate limit
        mo = [f"{n.lstrip('+')} {kp.SHORT_CODE} text INFO" for n in senders]
        began = time.perf_counter()
        with kp.FakeSMSC(kannel, *mo, count=count, interval=0.001) as smsc:
            smsc.wait_for(count, timeout=600)
            seconds = time.perf_counter() - began
    finally:
        for proc in procs:
            stop(proc)
    rate = count / seconds
    print(f"end to end, {workers} worker(s): {count} INFO in, replies out in {seconds:.2f} s = {rate:.0f} msg/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="sqlite:///" + tempfile.mkdtemp() + "/bench.db")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()
    if reason := kp.kannel_missing():
        raise SystemExit(reason)
    port = free_port()
    melek = f"http://127.0.0.1:{port}"
    kannel = kp.start_kannel(Path(tempfile.mkdtemp(prefix="melek-kannel-")), melek, token="")
    web: Any = None
    try:
        env = environment(args, kannel, melek)
        with app_for(env).app_context():
            Base.metadata.drop_all(db.engine)
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        numbers = prepare(env)
        web = start([str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"], env)
        time.sleep(2.5)
        web_workers = env.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1))
        where = args.database_url.split("@")[-1]
        print(f"database {where}, {os.cpu_count()} CPUs, gunicorn {web_workers} sync workers")
        bench_handover(kannel, numbers, args.messages)
        bench_broadcast(env, kannel, len(numbers))
        for workers in (1, 2):
            bench_end_to_end(env, kannel, numbers, args.messages, workers)
    finally:
        if web is not None:
            stop(web)
        kannel.stop()


if __name__ == "__main__":
    main()
