"""CPU per SMS, in process: the webhook (through `app.wsgi_app`) and a worker draining its jobs.

    python -m bench.sms_cpu --database-url postgresql+psycopg://.../melek_bench \
        --redis-url redis://127.0.0.1:6379/14 [--messages 1000] [--profile webhook|worker]

Much less noisy than `bench.sms_bench` on a shared machine: it counts this process's CPU
time (`time.process_time`), not wall time, so other load hardly moves it. The gateway is
the fake AT server in a child process (its CPU is not counted). Same data as sms_bench:
the database's tables are dropped and re-created and the Redis index is FLUSHED.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import subprocess
import sys
import time
from io import BytesIO
from urllib.parse import urlencode

from app.worker import make_worker
from bench.sms_bench import ROOT, app_for, clear_messages, environment, prepare

FAKE = "from tests.fake_at import running_fake\nfor f in running_fake():\n print(f.url, flush=True)\n input()\n"


def webhook_environ(number: str, gateway_id: str) -> dict[str, object]:
    body = urlencode({"from": number, "to": "818", "text": "INFO", "id": gateway_id}).encode()
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/sms/inbound",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(body),
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--profile", choices=("webhook", "worker"))
    parser.add_argument("--skip-prepare", action="store_true", help="reuse the handsets of a previous run")
    args = parser.parse_args()
    fake = subprocess.Popen([sys.executable, "-c", FAKE], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert fake.stdout is not None
        env = environment(args, fake.stdout.readline().decode().strip())
        if args.skip_prepare:
            numbers = [f"+62812{r * 10_000 + n:07d}" for r in range(14) for n in range(1000)]
        else:
            with app_for(env).app_context():
                from app.extensions import db
                from app.models import Base

                Base.metadata.drop_all(db.engine)
                with db.engine.begin() as conn:
                    conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
            numbers = prepare(env)
        clear_messages(env)
        run(env, numbers, args)
    finally:
        fake.kill()


def run(env: dict[str, str], numbers: list[str], args: argparse.Namespace) -> None:
    app = app_for(env)
    count = args.messages
    statuses: list[str] = []

    def start_response(status: str, headers: object, exc_info: object = None) -> None:
        statuses.append(status)

    for i in range(20):  # warm up: connections, imports
        b"".join(app.wsgi_app(webhook_environ(numbers[-1 - i], f"warm{i}"), start_response))
    profiler = cProfile.Profile() if args.profile == "webhook" else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    for i in range(count):
        b"".join(app.wsgi_app(webhook_environ(numbers[i % len(numbers)], f"C{i}"), start_response))
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    assert all(s.startswith("200") for s in statuses), set(statuses)
    print(f"webhook: {cpu / count * 1000:.2f} ms CPU, {wall / count * 1000:.2f} ms wall per message")
    if profiler:
        profiler.dump_stats("/tmp/sms_cpu_webhook.prof")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)

    worker = make_worker(app, ("sms",))
    profiler = cProfile.Profile() if args.profile == "worker" else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    worker.work(burst=True, with_scheduler=False, logging_level="WARNING")
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    total = count + 20
    print(f"worker: {cpu / total * 1000:.2f} ms CPU, {wall / total * 1000:.2f} ms wall per message ({total} jobs)")
    if profiler:
        profiler.dump_stats("/tmp/sms_cpu_worker.prof")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)


if __name__ == "__main__":
    main()
