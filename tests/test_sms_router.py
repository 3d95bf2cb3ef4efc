"""The SMS command parser, report-type words, auto-reply detection and reply texts (pure)."""

from __future__ import annotations

import pytest

from menus.gsm7 import is_gsm7, septets, to_gsm7
from menus.sms.autoreply import looks_automated
from menus.sms.lapor import LISTED, QuickReport, parse_lapor, resolve
from menus.sms.router import edit_distance, parse, redact
from menus.sms.texts import TEXTS, text


@pytest.mark.parametrize(
    ("body", "command", "rest"),
    [
        ("STATUS 12345678", "status", "12345678"),
        ("Status:12345678", "status", "12345678"),
        ("  cek  12345678 ", "status", "12345678"),
        ("check 1234-5678", "status", "1234-5678"),
        ("*lapor* banjir air 1m", "lapor", "banjir air 1m"),
        ("REPORT flood water", "lapor", "flood water"),
        ("info", "info", ""),
        ("Bantuan?", "info", ""),
        ("help", "info", ""),
        ("pin 7391 4826", "pin", "7391 4826"),
        ("AKTIF 356938035643809 AB12CD", "aktif", "356938035643809 AB12CD"),
        ("activate 356938035643809 x", "aktif", "356938035643809 x"),
        ("ok 12345678", "ok", "12345678"),
    ],
)
def test_keywords_are_found_whatever_the_case_spacing_and_punctuation(body: str, command: str, rest: str) -> None:
    parsed = parse(body)
    assert (parsed.command, parsed.rest) == (command, rest)


@pytest.mark.parametrize(
    ("body", "suggestion"),
    [("STATSU 123", "STATUS"), ("stattus", "STATUS"), ("lapr banjir", "LAPOR"), ("inof", "INFO"), ("HLEP", "HELP")],
)
def test_near_misses_suggest_the_command(body: str, suggestion: str) -> None:
    parsed = parse(body)
    assert parsed.command is None and parsed.suggestion == suggestion


@pytest.mark.parametrize("body", ["", "halo pak", "12345678", "apa kabar", "??"])
def test_anything_else_is_neither_command_nor_near_miss(body: str) -> None:
    parsed = parse(body)
    assert parsed.command is None and parsed.suggestion is None


def test_english_keywords_are_marked_english() -> None:
    assert parse("HELP").english and parse("check 1").english and not parse("INFO").english


def test_edit_distance_counts_a_swap_as_one() -> None:
    assert edit_distance("STATSU", "STATUS") == 1 and edit_distance("LAPOR", "LAPOR") == 0
    assert edit_distance("", "ABC") == 3 and edit_distance("KITTEN", "SITTING") == 3


@pytest.mark.parametrize(
    ("rest", "report_type", "fields"),
    [
        (
            "BANJIR air setinggi 1m di Desa Loa",
            "bencana",
            {"jenis": "banjir", "keterangan": "air setinggi 1m di Desa Loa"},
        ),
        ("flood: water 1m", "bencana", {"jenis": "banjir", "keterangan": "water 1m"}),
        ("longsor jalan tertutup", "bencana", {"jenis": "tanah_longsor", "keterangan": "jalan tertutup"}),
        ("bencana pohon tumbang", "bencana", {"keterangan": "pohon tumbang"}),
        ("GEMPA retak dinding", "bencana", {"jenis": "lainnya", "keterangan": "gempa: retak dinding"}),
        ("HARGA cabai 80rb/kg", "harga", {"keterangan": "cabai 80rb/kg"}),
        ("sakit demam", "kehadiran", {"status": "sakit", "keterangan": "demam"}),
        ("LAHIR 3 bayi di Loa", "kependudukan", {"peristiwa": "lahir", "keterangan": "3 bayi di Loa"}),
        ("KEBAKRAN gudang", "bencana", {"jenis": "kebakaran", "keterangan": "gudang"}),
    ],
)
def test_lapor_types_and_the_answers_their_words_imply(rest: str, report_type: str, fields: dict[str, str]) -> None:
    assert parse_lapor(rest) == QuickReport(report_type, fields)


def test_every_word_the_help_lists_is_understood() -> None:
    for word in LISTED.replace(",", "/").split("/"):
        assert resolve(word.strip()) is not None, word


@pytest.mark.parametrize(
    ("rest", "problem"), [("", "lapor_usage"), ("PIKNIK seru", "lapor_unknown_type"), ("BANJIR", "lapor_no_text")]
)
def test_lapor_problems(rest: str, problem: str) -> None:
    assert parse_lapor(rest) == problem


@pytest.mark.parametrize(
    ("sender", "body", "automated"),
    [
        ("+6281350000001", "STATUS 12345678", False),
        ("TELKOMSEL", "Pulsa Anda", True),
        ("3636", "info paket", True),
        ("+6281350000001", "Balasan otomatis: saya sedang cuti", True),
        ("+6281350000001", "Auto-reply: out of office", True),
        ("+6281350000001", "Pesan Anda telah terkirim ke 0812", True),
        ("+6281350000001", "Delivery report: delivered", True),
        ("62813500000019999999999999", "INFO", True),  # unparseable digits: never replied to
        ("6281350000001", "INFO", True),  # not E.164 (the webhook stores parseable senders as +62...)
    ],
)
def test_automated_messages_are_recognised(sender: str, body: str, automated: bool) -> None:
    assert looks_automated(sender, body) is automated


@pytest.mark.parametrize("key", sorted(TEXTS))
@pytest.mark.parametrize("language", ["id", "en"])
def test_every_reply_fits_one_gsm7_sms(key: str, language: str) -> None:
    values = {"word": "STATUS", "ref": "123456789012", "status": "diproses", "summary": "", "until": "10:15", "left": 4}
    values |= {"label": "Harga bahan pokok", "note": "", "prefix": text("crisis_escalated", "id"), "kind": "BANJIR"}
    values |= {"severity": "kritis", "where": "Desa Sungai Siring, Samarinda", "people": "120 warga", "count": 120}
    values |= {"reporter": "Siti Rahmawati", "by": "+6281350000001"}
    values |= {"outcome": "Dirujuk ke instansi lain (" + "x" * 60 + ")"}  # the longest label, the SMS's note
    body = text(key, language, **values, report_type="kependudukan", name="Siti Rahmawati Binti Abdullah")
    assert is_gsm7(body) and septets(body) <= 160, (key, language, len(body))


def test_help_differs_by_language() -> None:
    # The command words are the contract's in both languages; the explanations differ.
    assert "LAPOR <jenis> <teks>" in text("help", "id") and "LAPOR <type> <text>" in text("help", "en")


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        ("PIN 7391 4826", "PIN **** ****"),
        ("pin:7391,4826", "PIN **** ****"),
        ("AKTIF 356938035643809 123456", "AKTIF 356938035643809 ******"),
        ("STATUS 12345678", "STATUS 12345678"),
        ("LAPOR BANJIR air naik", "LAPOR BANJIR air naik"),
    ],
)
def test_pins_and_activation_codes_are_never_kept(body: str, kept: str) -> None:
    assert redact(body) == kept


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("Rapat “penting” – Senin…", 'Rapat "penting" - Senin...'),
        ("Jalān Ţepi, Kecamatan Sungai Kunjang", "Jalan Tepi, Kecamatan Sungai Kunjang"),
        ("café Ñ ü", "café Ñ ü"),  # in GSM-7 already
        ("banjir 😀", "banjir ?"),  # no close equivalent
    ],
)
def test_user_text_is_transliterated_to_gsm7(given: str, sent: str) -> None:
    assert to_gsm7(given) == sent and is_gsm7(sent)
