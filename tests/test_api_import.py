"""POST /api/v1/handsets/import: same rules and result as the CLI; large files run as a job."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models import Handset
from bench.registry_data import csv_text, handset_csv, row
from tests.helpers import run_worker_burst
from tests.registry_helpers import bearer, make_tokens


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Handset)) or 0


def test_a_bad_file_is_refused_with_422_and_each_line(seeded: Flask) -> None:
    auth = bearer(make_tokens()["province"])
    data = csv_text([row(0), row(1, number="0541 741234"), row(2, regency="Bandung")])
    response = seeded.test_client().post("/api/v1/handsets/import", data={"file": (_io(data), "h.csv")}, headers=auth)
    assert response.status_code == 422
    body = response.get_json()
    assert body["imported"] == 0
    assert [(r["line"], r["field"]) for r in body["rejected"]] == [(3, "msisdn"), (4, "regency")]
    assert count() == 0
    skipped = seeded.test_client().post(
        "/api/v1/handsets/import?skip_invalid=true", data=data, headers=auth, content_type="text/csv"
    )
    assert skipped.status_code == 200 and skipped.get_json()["imported"] == 1
    assert count() == 1


def test_dry_run_over_the_api(seeded: Flask) -> None:
    auth = bearer(make_tokens()["samarinda"])
    data = csv_text([row(0, regency="6472")])
    response = seeded.test_client().post("/api/v1/handsets/import?dry_run=1", data=data, headers=auth)
    assert response.status_code == 200 and response.get_json()["valid"] == 1
    assert count() == 0


def test_a_large_file_is_imported_by_a_job_with_progress(committed_app: Flask) -> None:
    from app.seed import seed_regencies

    seed_regencies()
    committed_app.config["API_IMPORT_SYNC_ROWS"] = 50
    auth = bearer(make_tokens()["province"])
    client = committed_app.test_client()
    response = client.post("/api/v1/handsets/import", data=handset_csv(120), headers=auth, content_type="text/csv")
    assert response.status_code == 202
    queued = response.get_json()
    assert queued["state"] == "queued" and queued["total"] == 120
    # Requests share this test's app context (and session): end its read transaction, as the
    # end of a real request would, before the worker writes.
    db.session.remove()
    assert run_worker_burst(committed_app)
    done = client.get(queued["url"], headers=auth).get_json()
    assert done["state"] == "done" and done["done"] == 120
    assert done["result"]["imported"] == 120 and done["result"]["rejected"] == []
    assert count() == 120
    other = bearer(make_tokens_extra())
    assert client.get(queued["url"], headers=other).status_code == 404


def make_tokens_extra() -> str:
    from app.registry.admins import create_admin
    from app.registry.audit import CLI

    return create_admin(CLI, "lain", "regency", "6401").token


def _io(text: str) -> object:
    import io

    return io.BytesIO(text.encode())


def test_a_jobs_activation_codes_are_shown_once_to_the_uploader(committed_app: Flask) -> None:
    from app.seed import seed_regencies

    seed_regencies()
    committed_app.config["API_IMPORT_SYNC_ROWS"] = 5
    auth = bearer(make_tokens()["province"])
    client = committed_app.test_client()
    body = csv_text([row(n, number=None) for n in range(10)])
    queued = client.post("/api/v1/handsets/import", data=body, headers=auth, content_type="text/csv").get_json()
    db.session.remove()
    assert run_worker_burst(committed_app)
    first = client.get(queued["url"], headers=auth).get_json()["result"]["activation_codes"]
    assert len(first) == 10
    again = client.get(queued["url"], headers=auth).get_json()["result"]["activation_codes"]
    assert again == []
    stored = committed_app.extensions["redis"].hget(f"melek:import:{queued['id']}", "result") or b""
    assert not any(str(entry.get("code", "")) in stored.decode() for entry in first if isinstance(entry, dict))
