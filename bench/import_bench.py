"""Import 14,000 handsets from CSV into an empty database and print rows/s.

    python -m bench.import_bench                       # SQLite (temporary file)
    python -m bench.import_bench --database-url postgresql+psycopg://postgres@127.0.0.1/melek_bench

Each database is emptied and migrated first, and emptied again afterwards: point it at a
database of its own. REDIS_URL (default redis://127.0.0.1:6379/0) receives the cache
invalidations an import does.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.models import Base
from app.registry.audit import CLI
from app.registry.importer import import_csv
from app.seed import seed_regencies
from bench.registry_data import handset_csv

ROWS = 14_000


def empty() -> None:
    Base.metadata.drop_all(db.engine)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def run(url: str, rows: int, instance: Path) -> None:
    """Migrate an empty database, then time a dry run (checks) and the real import."""
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    secrets = {"SECRET_KEY": "bench-secret-key-0123456789", "PIN_PEPPER": "bench-pepper-0123456789"}  # PostgreSQL
    app = create_app({"DATABASE_URL": url, "REDIS_URL": redis_url, **secrets})
    data = handset_csv(rows).encode()
    with app.app_context():
        empty()
        upgrade()
        seed_regencies()
        try:
            started = time.perf_counter()
            checked = import_csv(data, CLI, dry_run=True)
            check_s = time.perf_counter() - started
            started = time.perf_counter()
            result = import_csv(data, CLI)
            import_s = time.perf_counter() - started
            assert result.imported == rows and checked.valid == rows, (result.rejected[:3], checked.rejected[:3])
        finally:
            db.session.remove()
            empty()
            db.engine.dispose()
    kind = url.split(":", 1)[0]
    print(
        f"{kind:22} {rows} rows  check only {check_s:5.2f} s  import {import_s:5.2f} s  {rows / import_s:8,.0f} rows/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", action="append", default=[], help="PostgreSQL/SQLite URL (repeatable).")
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--no-sqlite", action="store_true", help="Skip the temporary SQLite database.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        urls = ([] if args.no_sqlite else ["sqlite:///" + str(Path(tmp) / "bench.db")]) + args.database_url
        for url in urls:
            run(url, args.rows, Path(tmp))


if __name__ == "__main__":
    main()
