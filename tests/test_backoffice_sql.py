"""The built-in SQL back office: references, idempotency, history, announcements."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.backoffice import get_backoffice, sql
from app.backoffice.base import NewReport
from app.backoffice.sql import SqlBackOffice
from app.extensions import db
from app.models import ReportRecord
from menus.refs import is_valid_reference


def report(key: str, regency: str = "6472") -> NewReport:
    return NewReport(key, "harga", regency, None, "ussd", {"komoditas": "beras", "harga": 14500})


def test_sql_is_the_default_back_office(seeded: Flask) -> None:
    assert isinstance(get_backoffice(), SqlBackOffice)


def test_references_are_random_checked_digits(seeded: Flask) -> None:
    refs = [SqlBackOffice().file_report(report(f"k{i}")).ref for i in range(20)]
    assert all(is_valid_reference(ref) and len(ref) == 10 for ref in refs)
    assert len(set(refs)) == 20
    # Not a sequence: consecutive filings are far apart, so counting does not walk records.
    gaps = [abs(int(a[:-1]) - int(b[:-1])) for a, b in zip(refs, refs[1:], strict=False)]
    assert min(gaps) > 1000


def test_same_idempotency_key_files_one_record(seeded: Flask) -> None:
    backoffice = SqlBackOffice()
    first = backoffice.file_report(report("same-key"))
    second = backoffice.file_report(report("same-key"))
    db.session.commit()
    assert first.created and not second.created
    assert first.ref == second.ref
    assert db.session.scalar(select(func.count()).select_from(ReportRecord)) == 1


def test_reference_collision_draws_a_new_reference(seeded: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    backoffice = SqlBackOffice()
    taken = backoffice.file_report(report("first")).ref
    draws = iter([taken, taken, "1234567890"])
    monkeypatch.setattr(sql, "new_reference", lambda: next(draws))
    filed = backoffice.file_report(report("second"))
    assert filed.created and filed.ref == "1234567890"
    assert db.session.scalar(select(func.count()).select_from(ReportRecord)) == 2


def test_status_history_records_every_change(seeded: Flask) -> None:
    backoffice = SqlBackOffice()
    ref = backoffice.file_report(report("hist")).ref
    backoffice.set_status(ref, "diproses", note="Petugas ke lokasi", by="admin-6472")
    backoffice.set_status(ref, "selesai")
    db.session.commit()
    found = backoffice.find_record(ref)
    assert found is not None and found.status == "selesai"
    assert [h.status for h in found.history] == ["diterima", "diproses", "selesai"]
    assert found.history[1].note == "Petugas ke lokasi"
    assert backoffice.find_record("0000000000") is None


def test_unknown_status_is_refused(seeded: Flask) -> None:
    backoffice = SqlBackOffice()
    ref = backoffice.file_report(report("bad-status")).ref
    try:
        backoffice.set_status(ref, "hilang")
    except ValueError as exc:
        assert "diterima" in str(exc)
    else:
        raise AssertionError("an unknown status was accepted")


def test_demo_seed_files_records_to_look_up(app: Flask) -> None:
    from app.backoffice.demo import seed_demo_records
    from tests.backoffice_helpers import SITI_NIP, official
    from workers.reports import lookup_status

    result = app.test_cli_runner().invoke(args=["seed", "--demo"])
    ref = result.output.split("(menu 2 or SMS STATUS): ")[1].strip()
    assert is_valid_reference(ref)
    assert seed_demo_records()[0] == ref  # idempotent
    assert db.session.scalar(select(func.count()).select_from(ReportRecord)) == 3
    answer = lookup_status(official(SITI_NIP).id, ref, None)
    assert answer["found"] and answer["status"] == "diproses"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("id", "Harga bahan pokok: Beras, 14.500, Pasar Segiri"),
        ("en", "Staple food prices: Rice, 14.500, Pasar Segiri"),
    ],
)
def test_a_status_summary_shows_answers_as_the_form_showed_them(lang: str, expected: str) -> None:
    from app.backoffice.reports import summary

    assert summary("harga", {"komoditas": "beras", "harga": 14500, "pasar": "Pasar Segiri"}, lang) == expected
