"""Transcript tests of the pure USSD engine: inputs and the screens expected, in both languages."""

from __future__ import annotations

import pytest

from menus import ussd
from tests.ussd_fakes import MAIN_EN, MAIN_ID, Phone, Step, phone, play


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
            ("9", "END Terlalu banyak jawaban salah. Silakan tekan *818# lagi."),
        ],
    )


@pytest.mark.parametrize("lang", ["id", "en"])
def test_98_without_a_next_page_reshows_the_screen_and_is_no_strike(lang: str) -> None:
    no_more = "No more pages." if lang == "en" else "Tidak ada halaman lagi."
    main = MAIN_EN if lang == "en" else MAIN_ID
    p = phone(lang)
    play(p, [(None, "PIN"), ("2580", main)])
    for _ in range(4):  # more than the three strikes
        play(p, [("98", "CON " + no_more + "\n" + main[4:])])
    play(p, [("4", "1 "), ("3", "IMEI")])
    for _ in range(4):
        play(p, [("98", ["CON " + no_more, "IMEI: ***"])])
    play(p, [("0", "1 "), ("00", main)])
    assert p.state is not None and p.state.strikes == 0


def test_98_on_the_pin_prompt_is_no_strike_either() -> None:
    play(phone(), [(None, "PIN"), *[("98", "CON Tidak ada halaman lagi.\nMelek\nMasukkan PIN")] * 4])


def test_0_on_the_main_menu_reshows_it_and_is_no_strike() -> None:
    p = phone()
    play(p, [(None, "PIN"), ("2580", MAIN_ID), *[("0", MAIN_ID)] * 4, ("2", "referensi")])
    assert p.state is not None and p.state.strikes == 0


def test_strikes_before_98_still_count_but_98_adds_none() -> None:
    steps: list[Step] = [(None, "PIN"), ("2580", ""), ("7", "Masukkan angka 1-4."), ("7", "1-4")]
    steps += [("98", "Tidak ada halaman lagi."), ("7", "END Terlalu banyak jawaban salah.")]
    play(phone(), steps)


def test_an_ended_state_starts_over_at_the_pin_not_the_menu() -> None:
    p = phone()
    play(p, [(None, "PIN"), ("2580", ""), ("4", ""), *[("9", "")] * 3])
    assert p.state is not None and p.state.screen == "ended"
    assert p.screens[-1].startswith("END Terlalu banyak")
    play(p, [("1", "CON Sesi dimulai ulang.\nMelek\nMasukkan PIN Anda:"), ("2580", MAIN_ID)])


@pytest.mark.parametrize("lang", ["id", "en"])
def test_status_lookup_found_missing_and_late(lang: str) -> None:
    en = lang == "en"
    statuses = {"12345671": {"found": True, "status": "diproses", "summary": "Banjir, Loa Janan"}}
    steps: list[Step] = [(None, "PIN"), ("2580", ""), ("2", "reference" if en else "referensi")]
    steps += [("12345675", "typo" if en else "salah ketik"), ("1234", "e.g. 1234567894" if en else "mis. 1234567894")]
    steps += [("1234-5671", "END No. 12345671")]
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


def test_98_past_the_last_page_of_a_long_text_shows_that_last_page_under_the_note() -> None:
    title = "Pemberitahuan penting untuk seluruh petugas lapangan di Kabupaten Kutai Kartanegara"[:80]
    body = " ".join(f"kalimat{n} tentang laporan harga bahan pokok wajib dikirim." for n in range(12)) + " akhir."
    p = phone(announcements=[ussd.Announcement(title, body, "17-08-2026")])
    play(p, [(None, "PIN"), ("2580", ""), ("3", "1 Pemberitahuan")])
    screen = p.send("1")
    while "98 Lanjut" in screen:
        screen = p.send("98")
    for _ in range(2):  # and again: still the end, never a page from the middle
        screen = p.send("98")
        assert screen.startswith("CON Tidak ada halaman lagi.") and "98 Lanjut" not in screen, screen
        assert "akhir." in screen, screen


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


def test_states_and_drafts_from_another_version_are_handled() -> None:
    state = ussd.State.from_dict({"screen": "main", "authed": True, "someday": 1, "form": {"type": "gone"}})
    assert state.screen == "main" and state.form is None
    assert ussd.Form.from_dict({"type": "harga", "answers": {"harga": 1}, "idx": 9}) is None
    assert ussd.Form.from_dict({"type": "harga", "answers": {}, "idx": 1}) == ussd.Form("harga", {}, 1)
