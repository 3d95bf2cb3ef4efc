"""File field reports and look them up through the back-office jobs; print ops/s and latency.

    REDIS_URL=redis://127.0.0.1:6379/9 python -m bench.backoffice_bench
    python -m bench.backoffice_bench --database-url postgresql+psycopg://postgres@127.0.0.1/melek_bench

Each call is the job function as a worker runs it (inline here): idempotency check, record,
receipt, confirmation SMS row and commit; then `lookup_status` by reference. The database is
emptied and migrated first and emptied afterwards (point it at a database of its own); the
send jobs the outbox enqueues land in REDIS_URL, which is flushed at the end: use a spare index.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import Base, Handset, Official
from app.redis_client import get_redis
from app.seed import seed_demo, seed_regencies
from workers.reports import file_report, lookup_status


def empty() -> None:
    Base.metadata.drop_all(db.engine)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def timed(calls: int, call: Callable[[int], object]) -> list[float]:
    """Milliseconds per call."""
    laps = []
    for n in range(calls):
        started = time.perf_counter()
        call(n)
        laps.append((time.perf_counter() - started) * 1000)
    return laps


def line(kind: str, what: str, laps: list[float]) -> str:
    p95 = statistics.quantiles(laps, n=20)[18]
    per_s = len(laps) / (sum(laps) / 1000)
    p50 = statistics.median(laps)
    return f"{kind:12} {what:14} {len(laps):6}  {per_s:7,.0f}/s  p50 {p50:6.2f} ms  p95 {p95:6.2f} ms"


def run(url: str, calls: int, instance: Path) -> None:
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9")
    secrets = {"SECRET_KEY": "bench-secret-key-0123456789", "PIN_PEPPER": "bench-pepper-0123456789"}  # PostgreSQL
    app = create_app({"DATABASE_URL": url, "REDIS_URL": redis_url, **secrets})
    with app.app_context():
        empty()
        upgrade()
        try:
            seed_regencies()
            seed_demo()
            official = db.session.scalars(select(Official).order_by(Official.id)).first()
            assert official is not None
            handset = db.session.scalars(select(Handset).where(Handset.official_id == official.id)).one()
            body = {"official_id": official.id, "handset_id": handset.id, "channel": "ussd", "report_type": "harga"}
            body |= {"fields": {"komoditas": "beras", "harga": 14500, "pasar": "Segiri"}}
            body |= {"notify_msisdn": handset.msisdn}
            refs: list[str] = []
            filing = timed(calls, lambda n: refs.append(file_report({**body, "idempotency_key": f"bench-{n}"})["ref"]))
            repeats = timed(calls, lambda n: file_report({**body, "idempotency_key": f"bench-{n}"}))
            lookups = timed(calls, lambda n: lookup_status(official.id, refs[n], None))
        finally:
            db.session.remove()
            empty()
            db.engine.dispose()
            get_redis(app).flushdb()
    kind = url.split(":", 1)[0].split("+")[0]
    for what, laps in (("file_report", filing), ("repeat (no-op)", repeats), ("lookup_status", lookups)):
        print(line(kind, what, laps))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", action="append", default=[], help="PostgreSQL/SQLite URL (repeatable).")
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--no-sqlite", action="store_true", help="Skip the temporary SQLite database.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        urls = ([] if args.no_sqlite else ["sqlite:///" + str(Path(tmp) / "bench.db")]) + args.database_url
        for url in urls:
            run(url, args.calls, Path(tmp))


if __name__ == "__main__":
    main()
