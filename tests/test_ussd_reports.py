"""Report definitions shared by USSD, SMS `LAPOR` and the back office."""

from __future__ import annotations

from datetime import date

import pytest

from menus.answers import parse_field
from menus.reports import REPORT_TYPES
from menus.sms.lapor import QuickReport, parse_lapor

TODAY = date(2026, 8, 17)


@pytest.mark.parametrize(
    ("word", "key", "implied"),
    [
        ("BANJIR", "bencana", {"jenis": "banjir"}),
        ("Longsor!", "bencana", {"jenis": "tanah_longsor"}),
        ("fire", "bencana", {"jenis": "kebakaran"}),
        ("harga", "harga", {}),
        ("lahir", "kependudukan", {"peristiwa": "lahir"}),
        ("SAKIT", "kehadiran", {"status": "sakit"}),
        ("kehadiran", "kehadiran", {}),
    ],
)
def test_sms_words_name_a_type_and_what_it_implies(word: str, key: str, implied: dict[str, str]) -> None:
    found = parse_lapor(f"{word} air 1m di Desa X")
    assert isinstance(found, QuickReport)
    assert found.report_type == key and implied.items() <= found.fields.items()


def test_unknown_word_names_no_type() -> None:
    assert parse_lapor("pizza enak sekali") == "lapor_unknown_type"


def test_implied_answers_are_valid_choices() -> None:
    for rt in REPORT_TYPES.values():
        for implied in rt.aliases.values():
            for key, value in implied.items():
                assert value in {o.key for o in rt.field(key).options}


@pytest.mark.parametrize(
    ("raw", "value", "problem"),
    [
        ("1", "2026-08-17", None),
        ("2", "2026-08-16", None),
        ("01-08-2026", "2026-08-01", None),
        ("18082026", None, "err_date_range"),
        ("31022026", None, "err_date"),
        ("0108202", None, "err_date"),
        ("01082024", None, "err_date_range"),
    ],
)
def test_dates(raw: str, value: str | None, problem: str | None) -> None:
    assert parse_field(REPORT_TYPES["kependudukan"].field("tanggal"), raw, TODAY) == (value, problem)


def test_numbers_accept_thousands_dots_and_refuse_out_of_range() -> None:
    price = REPORT_TYPES["harga"].field("harga")
    assert parse_field(price, "15.000", TODAY) == (15000, None)
    assert parse_field(price, "50", TODAY) == (None, "err_int")
    assert parse_field(price, "lima", TODAY) == (None, "err_int")
