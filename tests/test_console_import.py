"""Console CSV import: dry run first, rejected rows as CSV, import, activation codes once, large files as a job."""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.models import Handset
from bench.registry_data import csv_text, handset_csv, imei, row
from tests.console_helpers import csrf_token, make_admins, signed_in
from tests.helpers import run_worker_burst

PAGE = "/console/import"


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Handset)) or 0


def text(response: object) -> str:
    return response.get_data(as_text=True)  # type: ignore[attr-defined, no-any-return]


def upload(client: FlaskClient, body: str | bytes, name: str = "ponsel.csv") -> str:
    """Upload a file; returns the dry run's page URL."""
    data = body.encode() if isinstance(body, str) else body
    response = client.post(
        PAGE, data={"csrf_token": csrf_token(client, PAGE), "file": (io.BytesIO(data), name)}, buffered=True
    )
    assert response.status_code == 302, text(response)[:500]
    return str(response.headers["Location"])


def confirm(client: FlaskClient, url: str, **form: str) -> object:
    return client.post(url, data={"csrf_token": csrf_token(client, url), **form})


@pytest.fixture
def console(seeded: Flask) -> FlaskClient:
    make_admins("prov", "smd", "bpn", "lihat")
    return signed_in(seeded.test_client(), "smd")


def test_dry_run_lists_every_bad_row_and_imports_nothing(console: FlaskClient) -> None:
    body = csv_text([row(0, regency="6472"), row(1, number="0541 741234", regency="6472"), row(2, regency="Bandung")])
    review = text(console.get(upload(console, body)))
    assert "1 baris valid · 2 masalah" in review
    assert "bukan nomor HP" in review and "Bandung" in review
    assert count() == 0
    assert "Impor 1 baris valid saja" in review


def test_rejected_rows_download_to_fix_and_upload_again(console: FlaskClient) -> None:
    body = csv_text([row(0, regency="6472"), row(1, number="0541 741234", regency="6472")])
    url = upload(console, body)
    download = console.get(url + "/rejected.csv")
    assert download.status_code == 200 and download.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(text(download).lstrip("\ufeff"))))
    assert len(rows) == 1 and rows[0]["imei"] == imei(1) and "msisdn" in rows[0]["error"]
    fixed = text(download).replace("0541 741234", "0812 5555 0199")
    again = text(console.get(upload(console, fixed.encode())))  # the extra error column is ignored
    assert "1 baris valid · 0 masalah" in again


def test_semicolon_file_with_bom_imports_and_codes_download_once(console: FlaskClient) -> None:
    body = csv_text([row(0, regency="6472"), row(1, regency="6472", number=None)], delimiter=";")
    url = upload(console, "\ufeff".encode() + body.encode())
    assert "2 baris valid · 0 masalah" in text(console.get(url))
    done = confirm(console, url)
    page = text(done)
    assert "2 ponsel diimpor" in page and "hanya bisa diunduh sekali" in page
    assert count() == 2
    codes = console.get(url + "/codes.csv")
    rows = list(csv.DictReader(io.StringIO(text(codes).lstrip("\ufeff"))))
    assert [r["imei"] for r in rows] == [imei(1)] and re.fullmatch(r"\d{6,8}", rows[0]["activation_code"])
    assert rows[0]["official_name"]
    assert console.get(url + "/codes.csv").status_code == 410
    assert "2 ponsel diimpor" in text(console.get(url))  # the page again: the result, no second import


def test_a_second_submit_keeps_the_first_import_and_its_codes(console: FlaskClient) -> None:
    url = upload(console, csv_text([row(0, regency="6472", number=None)]))
    assert "1 ponsel diimpor" in text(confirm(console, url))
    again = confirm(console, url)  # a refresh or a double click re-posts the form
    assert again.status_code == 302  # type: ignore[attr-defined]
    assert "1 ponsel diimpor" in text(console.get(url)) and count() == 1
    rows = list(csv.DictReader(io.StringIO(text(console.get(url + "/codes.csv")).lstrip("\ufeff"))))
    assert [r["imei"] for r in rows] == [imei(0)]  # the code of the first run, still there once


def test_skip_invalid_imports_the_good_rows(console: FlaskClient) -> None:
    body = csv_text([row(0, regency="6472"), row(1, regency="Bandung")])
    url = upload(console, body)
    page = text(confirm(console, url, skip_invalid="1"))
    assert "1 ponsel diimpor" in page and "1 masalah dilewati" in page
    assert count() == 1


def test_regency_admin_cannot_import_into_another_regency(console: FlaskClient) -> None:
    url = upload(console, csv_text([row(0, regency="6471")]))
    assert "0 baris valid · 1 masalah" in text(console.get(url))
    assert count() == 0


def test_a_file_without_the_header_is_refused_whole(console: FlaskClient) -> None:
    review = text(console.get(upload(console, "a,b\n1,2\n")))
    assert "missing columns" in review and "Unduh baris" not in review


def test_uploads_belong_to_their_uploader(console: FlaskClient, seeded: Flask) -> None:
    url = upload(console, csv_text([row(0, regency="6472")]))
    other = signed_in(seeded.test_client(), "bpn")
    assert other.get(url).status_code == 404
    assert other.get(url + "/rejected.csv").status_code == 404
    viewer = signed_in(seeded.test_client(), "lihat")
    assert viewer.get(url).status_code == 403


def test_empty_or_missing_file_is_refused(console: FlaskClient) -> None:
    token = csrf_token(console, PAGE)
    assert console.post(PAGE, data={"csrf_token": token}).status_code == 400
    empty = console.post(PAGE, data={"csrf_token": token, "file": (io.BytesIO(b"  \n"), "a.csv")})
    assert empty.status_code == 422 and "kosong" in text(empty)


def test_a_large_file_runs_as_the_import_job_with_progress(committed_app: Flask) -> None:
    from app.seed import seed_regencies

    seed_regencies()
    make_admins("prov")
    committed_app.config["API_IMPORT_SYNC_ROWS"] = 50
    client = signed_in(committed_app.test_client(), "prov")
    url = upload(client, handset_csv(120))
    progress = text(client.get(url))
    assert "<progress" in progress and "dari 120 baris" in progress
    db.session.remove()  # end this test's read transaction, as a request's end would, before the worker writes
    assert run_worker_burst(committed_app)
    assert client.get(url + "/progress").headers.get("HX-Refresh") == "true"
    assert "120 baris valid · 0 masalah" in text(client.get(url))
    queued = client.post(url, data={"csrf_token": csrf_token(client, url)})
    assert queued.status_code == 302
    assert "<progress" in text(client.get(url))
    db.session.remove()
    assert run_worker_burst(committed_app)
    assert "120 ponsel diimpor" in text(client.get(url))
    assert count() == 120
    codes = client.get(url + "/codes.csv")
    assert codes.status_code == 200  # every row has a number: the header alone
    assert text(codes).lstrip("\ufeff").splitlines() == ["imei,official_name,activation_code"]
    assert client.get(url + "/codes.csv").status_code == 410


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_large_file_goes_to_the_job_whatever_its_line_endings(seeded: Flask, newline: str) -> None:
    make_admins("prov")
    seeded.config["API_IMPORT_SYNC_ROWS"] = 50
    client = signed_in(seeded.test_client(), "prov")
    body = newline.join(handset_csv(60).splitlines()) + newline  # CR alone: old Mac / some Excel exports
    progress = text(client.get(upload(client, body)))
    assert "<progress" in progress and "dari 60 baris" in progress
