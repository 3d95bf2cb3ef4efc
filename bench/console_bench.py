"""A regency's monthly spreadsheet through the console's pages: upload and dry run, import, search.

    python -m bench.console_bench                       # SQLite (temporary file)
    python -m bench.console_bench --database-url postgresql+psycopg://postgres@127.0.0.1/melek_bench

Runs the real request path (session, CSRF, templates) with Flask's test client. The database
is emptied and migrated first, and emptied again afterwards: point it at a database of its
own. REDIS_URL (default redis://127.0.0.1:6379/0) holds the upload between its dry run and
its import.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import tempfile
import time
from pathlib import Path

from flask.testing import FlaskClient
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.registry.admins import create_admin
from app.registry.audit import CLI
from app.seed import seed_regencies
from bench.import_bench import empty
from bench.registry_data import handset_csv

TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


def token(client: FlaskClient, url: str) -> str:
    match = TOKEN.search(client.get(url).get_data(as_text=True))
    assert match, url
    return match.group(1)


def run(url: str, rows: int) -> None:
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    app = create_app({"DATABASE_URL": url, "REDIS_URL": redis_url})
    data = handset_csv(rows).encode()
    with app.app_context():
        empty()
        upgrade()
        seed_regencies()
        create_admin(CLI, "bench", "province", None, "bench-password")
        client = app.test_client()
        form = {"username": "bench", "password": "bench-password", "csrf_token": token(client, "/console/login")}
        assert client.post("/console/login", data=form).status_code == 302
        try:
            started = time.perf_counter()
            upload = {"csrf_token": token(client, "/console/import"), "file": (io.BytesIO(data), "ponsel.csv")}
            review = client.post("/console/import", data=upload).headers["Location"]
            assert f"{rows} baris valid" in client.get(review).get_data(as_text=True)
            checked = time.perf_counter()
            done = client.post(review, data={"csrf_token": token(client, review)})
            assert f"{rows} ponsel diimpor" in done.get_data(as_text=True)
            imported = time.perf_counter()
            client.get("/console/handsets", query_string={"q": "Petugas 5"})
            searched = time.perf_counter()
            print(
                f"{url.split(':')[0]}: {rows} rows: upload + dry run {checked - started:.2f} s, "
                f"import {imported - checked:.2f} s, search by name {1000 * (searched - imported):.0f} ms"
            )
        finally:
            db.session.remove()
            empty()
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        run(url, args.rows)


if __name__ == "__main__":
    main()
