"""Transcript tests of the report forms (Kirim laporan), resume included, in both languages."""

from __future__ import annotations

import pytest

from menus.ussd.state import Form
from tests.ussd_fakes import MAIN_EN, MAIN_ID, Phone, Step, phone, play


def test_disaster_report_with_star_in_free_text_files_once() -> None:
    p = phone()
    play(
        p,
        [
            (None, "PIN"),
            ("2580", MAIN_ID),
            ("1", "1 Bencana/Darurat\n2 Harga bahan pokok\n3 Kependudukan\n4 Kehadiran"),
            ("1", "Jenis bencana:\n1 Banjir\n2 Kebakaran\n3 Tanah longsor"),
            ("1", "Kecamatan/desa:"),
            ("Loa Janan*RT 05", "Perkiraan warga terdampak:"),
            ("0", "Kecamatan/desa:"),  # back one question
            ("Loa Janan*RT 05", "terdampak"),
            ("1.200", "Tingkat urgensi:"),
            ("1", ["Kirim laporan? (Bencana/Darurat)", "Banjir; Loa Janan*RT 05; 1.200"]),
            ("1", "END Laporan terkirim. No. ref: 12345671."),
        ],
    )
    assert p.backend.filed == [
        (
            "bencana",
            {
                "jenis": "banjir",
                "lokasi": "Loa Janan*RT 05",
                "terdampak": 1200,
                "urgensi": "segera",
            },
            1,
        )
    ]
    assert p.backend.draft is None


def test_report_ends_with_sms_promise_when_the_worker_is_late() -> None:
    p = phone("en", ref=None)
    play(
        p,
        [(None, "PIN"), ("2580", MAIN_EN), ("1", "Report type"), ("4", "Today's status")]
        + [("2", "Send report? (Attendance)"), ("1", "END Report received. The reference")],
    )
    assert p.backend.filed == [("kehadiran", {"status": "lapangan"}, 1)]


def test_price_report_paginates_commodities_and_validates_the_price() -> None:
    p = phone()
    play(
        p,
        [
            (None, "PIN"),
            ("2580", MAIN_ID),
            ("1", "Jenis laporan"),
            ("2", ["8 Daging ayam", "98 Lanjut"]),
            ("98", ["9 Daging sapi", "12 Ikan bandeng"]),
            ("98", "Tidak ada halaman lagi."),
            ("12", "Harga per kg/liter"),
            ("5", "Masukkan angka 100-10.000.000."),
            ("32000", "Nama pasar:"),
            ("P", "Jawaban terlalu pendek."),
            ("Pasar Segiri", ["Ikan bandeng; 32.000; Pasar Segiri", "1 Kirim\n2 Ubah"]),
            ("2", "Komoditas:"),  # edit: through the answers again
            ("1", "Harga"),
            ("15000", "Nama pasar"),
            ("Pasar Pagi", "Beras; 15.000; Pasar Pagi"),
            ("0", "Nama pasar"),  # back from confirmation to the last question
            ("Pasar Pagi", "Beras"),
            ("1", "END Laporan terkirim"),
        ],
    )
    assert p.backend.filed[0][1] == {"komoditas": "beras", "harga": 15000, "pasar": "Pasar Pagi"}


@pytest.mark.parametrize(
    ("event", "counts", "expected"),
    [
        ("1", ["3"], {"lahir": 3}),
        ("2", ["1"], {"meninggal": 1}),
        ("3", ["2", "1"], {"lahir": 2, "meninggal": 1}),
    ],
)
def test_population_report_asks_only_the_counts_that_apply(
    event: str, counts: list[str], expected: dict[str, int]
) -> None:
    p = phone("en")
    steps: list[Step] = [(None, "PIN"), ("2580", MAIN_EN), ("1", "Report"), ("3", "Village:")]
    steps += [("Sukamaju", "Date (DDMMYYYY)"), ("32132026", "Invalid date")]
    steps += [("18082026", "future"), ("2", "Events:"), (event, "Number of")]
    steps += [(c, "") for c in counts]
    play(p, steps)
    assert p.screens[-1].startswith("CON Send report? (Births and deaths)")
    play(p, [("1", "END Report sent.")])
    fields = {"desa": "Sukamaju", "tanggal": "2026-08-16", "peristiwa": ""} | expected
    fields["peristiwa"] = {"1": "lahir", "2": "meninggal", "3": "keduanya"}[event]
    assert p.backend.filed[0][1] == fields


def test_changing_an_answer_drops_questions_that_no_longer_apply() -> None:
    p = phone()
    steps: list[Step] = [(None, "PIN"), ("2580", ""), ("1", ""), ("3", "Desa")]
    steps += [("Sukamaju", "Tanggal"), ("1", "Peristiwa"), ("3", "kelahiran"), ("2", "kematian")]
    steps += [("1", "Kirim laporan?"), ("2", "Desa"), ("Sukamaju", ""), ("1", ""), ("1", "")]
    steps += [("4", "Kirim laporan?"), ("1", "END")]
    play(p, steps)
    assert p.backend.filed[0][1] == {
        "desa": "Sukamaju",
        "tanggal": "2026-08-17",
        "peristiwa": "lahir",
        "lahir": 4,
    }


def test_back_from_the_first_question_leaves_the_form_and_home_forgets_it() -> None:
    p = phone()
    steps: list[Step] = [(None, "PIN"), ("2580", ""), ("1", ""), ("1", "Jenis bencana")]
    steps += [("0", "Jenis laporan:"), ("0", MAIN_ID), ("1", ""), ("1", ""), ("2", "Kecamatan")]
    steps += [("00", MAIN_ID)]
    play(p, steps)
    assert p.backend.draft is None
    assert p.backend.filed == []


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_dropped_draft_is_offered_again_and_continues_where_it_stopped(lang: str) -> None:
    en = lang == "en"
    first = phone(lang)
    play(first, [(None, "PIN"), ("2580", ""), ("1", ""), ("2", ""), ("3", ""), ("21000", "")])
    assert first.backend.draft == Form("harga", {"komoditas": "minyak_goreng", "harga": 21000}, 2)
    # The network drops the session; the official dials again.
    again = Phone(first.backend, first.caller)
    resume_screen = (
        "CON You have an unfinished Staple food prices report.\n1 Continue\n2 Start over"
        if en
        else "CON Ada laporan Harga bahan pokok yang belum selesai.\n1 Lanjutkan\n2 Mulai baru"
    )
    steps: list[Step] = [(None, "PIN"), ("2580", resume_screen), ("1", "Market" if en else "pasar")]
    steps += [("Pasar Klandasan", "Cooking oil" if en else "Minyak goreng"), ("1", "END")]
    play(again, steps)
    assert again.backend.filed[0][1]["harga"] == 21000
    assert again.backend.draft is None


def test_start_over_forgets_the_draft() -> None:
    p = phone(draft=Form("kehadiran", {}, 0))
    play(p, [(None, "PIN"), ("2580", "Kehadiran"), ("2", MAIN_ID)])
    assert p.backend.draft is None
