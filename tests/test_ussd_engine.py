"""Transcript tests of the pure USSD engine: inputs and the screens expected, in both languages."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from menus import ussd
from menus.ussd.state import Form
from tests.ussd_fakes import FakeBackend, Phone

CALLER = ussd.Caller("Siti Rahmawati", "356938035643809", "Kabupaten Kutai Kartanegara")
Step = tuple[str | None, str | Sequence[str]]


def play(phone: Phone, steps: Sequence[Step]) -> None:
    """Dial (input None) or send each input; check each screen.

    An expectation starting with `CON `/`END ` must begin the screen; any other text must
    appear in it (a list: each item must).
    """
    for i, (inp, expected) in enumerate(steps):
        screen = phone.dial() if inp is None else phone.send(inp)
        if isinstance(expected, str) and expected[:4] in ("CON ", "END "):
            assert screen.startswith(expected), f"step {i} ({inp!r}): {screen!r}"
        else:
            for part in [expected] if isinstance(expected, str) else expected:
                assert part in screen, f"step {i} ({inp!r}): {part!r} not in {screen!r}"


def phone(lang: str = "id", **backend: object) -> Phone:
    caller = ussd.Caller(
        CALLER.name,
        CALLER.imei,
        CALLER.regency_name,
        language=lang,
        has_pin=backend.pop("has_pin", True),  # type: ignore[arg-type]
    )
    return Phone(FakeBackend(**backend), caller)  # type: ignore[arg-type]


MAIN_ID = "CON Melek\n1 Kirim laporan\n2 Cek status\n3 Pengumuman\n4 Akun saya"
MAIN_EN = "CON Melek\n1 Send report\n2 Check status\n3 Announcements\n4 My account"


def test_pin_then_main_menu_in_indonesian() -> None:
    play(phone(), [(None, "CON Melek\nMasukkan PIN Anda:"), ("2580", MAIN_ID)])


def test_pin_then_main_menu_in_english() -> None:
    play(phone("en"), [(None, "CON Melek\nEnter your PIN:"), ("2580", MAIN_EN)])


def test_wrong_pins_lock_the_account_and_say_until_when() -> None:
    p = phone()
    play(
        p,
        [
            (None, "Masukkan PIN"),
            ("1111", "PIN salah. Sisa 2 kali."),
            ("abc", "PIN harus 4-6 angka."),
            ("2222", "PIN salah. Sisa 1 kali."),
            ("3333", "END PIN salah 3 kali. Akun terkunci sampai 10:15 WITA."),
        ],
    )
    # Dialling again while locked ends at once, even with the right PIN at hand.
    again = Phone(p.backend, p.caller)
    play(again, [(None, "END PIN salah 3 kali. Akun terkunci sampai 10:15 WITA.")])


def test_lockout_in_english() -> None:
    steps: list[Step] = [(None, "Enter your PIN")]
    steps += [("1111", "Wrong PIN. 2 tries left."), ("1112", "1 tries left")]
    steps += [("1113", "END Wrong PIN 3 times. Account locked until 10:15 WITA.")]
    play(phone("en"), steps)


def test_nav_tokens_are_not_navigation_before_the_pin() -> None:
    play(phone(), [(None, "PIN"), ("00", "PIN harus 4-6 angka."), ("0", "PIN harus")])


@pytest.mark.parametrize("lang", ["id", "en"])
def test_pin_creation_refuses_trivial_and_mismatched_pins(lang: str) -> None:
    en = lang == "en"
    p = phone(lang, pin=None, has_pin=False)
    play(
        p,
        [
            (None, "Create a new PIN" if en else "Buat PIN baru"),
            ("1234", "too easy" if en else "terlalu mudah"),
            ("12", "4-6 digits" if en else "4-6 angka"),
            ("4827", "Repeat the new PIN" if en else "Ulangi PIN baru"),
            ("4828", "PINs differ" if en else "PIN tidak sama"),
            ("0000", "too easy" if en else "terlalu mudah"),
            ("4827", "Repeat"[:3] if en else "Ulangi"),
            ("4827", ["PIN saved." if en else "PIN tersimpan.", "1 "]),
        ],
    )
    assert p.backend.pin == "4827"


def test_three_bad_answers_in_a_row_end_politely_and_a_good_one_resets() -> None:
    play(
        phone(),
        [
            (None, "PIN"),
            ("2580", MAIN_ID),
            ("7", "Masukkan angka 1-4."),
            ("x", "Masukkan angka 1-4."),
            ("4", "Akun saya"),
            ("9", "Masukkan angka 1-3."),
            ("9", "Masukkan angka 1-3."),
            ("9", "END Terlalu banyak jawaban salah. Silakan hubungi *818# lagi."),
        ],
    )


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


@pytest.mark.parametrize("lang", ["id", "en"])
def test_status_lookup_found_missing_and_late(lang: str) -> None:
    en = lang == "en"
    statuses = {"12345671": {"found": True, "status": "diproses", "summary": "Banjir, Loa Janan"}}
    steps: list[Step] = [(None, "PIN"), ("2580", ""), ("2", "reference" if en else "referensi")]
    steps += [("12345675", "typo" if en else "salah ketik"), ("1234-5671", "END No. 12345671")]
    p = phone(lang, statuses=statuses)
    play(p, steps)
    assert "diproses\nBanjir, Loa Janan" in p.screens[-1]
    missing = phone(lang, statuses={"12345671": {"found": False}})
    play(missing, steps[:-1] + [("12345671", "not found" if en else "tidak ditemukan")])
    late = phone(lang)
    play(late, steps[:-1] + [("12345671", "by SMS" if en else "via SMS")])


def test_announcements_page_through_a_long_text_and_back() -> None:
    body = "Semua kepala desa diminta hadir di kantor bupati hari Senin pukul 09.00. " * 5
    anns = [ussd.Announcement("Rapat koordinasi", body, "17-08-2026")]
    anns += [ussd.Announcement("Libur nasional", "Kantor tutup tanggal 17.", "16-08-2026")]
    p = phone(announcements=anns)
    play(p, [(None, "PIN"), ("2580", ""), ("3", "1 Rapat koordinasi (17-08-2026)\n2 Libur")])
    pages = []
    for _ in range(6):
        pages.append(p.send("98") if pages else p.send("1"))
        if "98 Lanjut" not in pages[-1]:
            break
    read = " ".join(s.split("\n")[1] for s in pages)
    assert " ".join(read.split()) == " ".join(body.split())
    play(p, [("98", "Tidak ada halaman lagi."), ("0", "2 Libur"), ("2", "Kantor tutup")])
    play(p, [("5", "Ketik 98, 0 atau 00."), ("00", MAIN_ID)])


def test_no_announcements_says_so() -> None:
    play(phone("en"), [(None, "PIN"), ("2580", ""), ("3", "No announcements yet.")])


def test_account_shows_masked_imei_and_switches_language() -> None:
    p = phone()
    steps: list[Step] = [(None, "PIN"), ("2580", ""), ("4", "1 Ganti PIN\n2 Ganti bahasa")]
    steps += [("3", ["Siti Rahmawati", "Kutai Kartanegara", "IMEI: ***********3809"])]
    steps += [("0", "Akun saya"), ("2", "1 Bahasa Indonesia\n2 English")]
    steps += [("2", "CON Language saved.\n" + MAIN_EN[4:])]
    play(p, steps)
    assert "356938035643809" not in "".join(p.screens)
    assert p.backend.language == "en"


def test_change_pin_checks_the_old_pin_first() -> None:
    p = phone()
    steps: list[Step] = [(None, "PIN"), ("2580", ""), ("4", ""), ("1", "PIN lama")]
    steps += [("1111", "PIN salah. Sisa 2 kali."), ("2580", "Buat PIN baru")]
    steps += [("1357", "Ulangi"), ("1357", "CON PIN berhasil diganti.\n" + MAIN_ID[4:])]
    play(p, steps)
    assert p.backend.pin == "1357"


def test_restart_after_a_jump_keeps_the_login() -> None:
    p = phone()
    play(p, [(None, "PIN"), ("2580", ""), ("4", "")])
    assert p.state is not None
    out = ussd.restart(p.state, p.ctx)
    assert out.screen is not None
    assert out.screen.text == "CON Sesi dimulai ulang.\n" + MAIN_ID[4:]


def test_state_survives_a_json_round_trip() -> None:
    p = phone()
    play(p, [(None, "PIN"), ("2580", ""), ("1", ""), ("2", ""), ("3", "")])
    assert p.state is not None
    assert ussd.State.from_dict(p.state.to_dict()) == p.state
