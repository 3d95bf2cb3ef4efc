"""The IMEI, mobile number, NIP and other input rules (pure functions)."""

from __future__ import annotations

from datetime import date

import pytest

from app.registry.errors import RuleError
from app.registry.rules import clean_block_reason, clean_imei, clean_language, clean_msisdn, clean_nip
from bench.registry_data import imei, nip


def reason(func: object, value: str) -> str:
    with pytest.raises(RuleError) as caught:
        func(value)  # type: ignore[operator]
    return caught.value.message


def test_it_accepts_a_valid_imei_in_any_spelling() -> None:
    assert clean_imei("490154203237518") == "490154203237518"
    assert clean_imei(" 49-015420-323751-8 ") == "490154203237518"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("490154203237519", "check digit"),
        ("49015420323751", "15 digits, not 14"),
        ("49015420323751888", "not 17"),
        ("49015420323751A", "digits only"),
        ("", "required"),
    ],
)
def test_it_refuses_malformed_imeis(value: str, words: str) -> None:
    assert words in reason(clean_imei, value)


def test_it_refuses_an_imeisv_and_says_which_fifteen_digits_to_enter() -> None:
    message = reason(clean_imei, "4901542032375101")  # TAC+serial 49015420323751, SV 01
    assert "IMEISV" in message
    assert "490154203237518" in message


@pytest.mark.parametrize(
    "value", ["000000000000000", "111111111111111", "123456789012347", "012345678901237", "121212121212121"]
)
def test_it_refuses_placeholder_imeis(value: str) -> None:
    assert "placeholder" in reason(clean_imei, value)


def test_it_refuses_test_tac_imeis() -> None:
    body = "00440245123456"
    from stdnum import luhn

    assert "placeholder" in reason(clean_imei, body + luhn.calc_check_digit(body))


SPELLINGS = ["081234567890", "+6281234567890", "6281234567890", "0812-3456-7890", "0812 3456 7890"]


@pytest.mark.parametrize("value", SPELLINGS)
def test_it_parses_usual_spellings_of_a_mobile_number(value: str) -> None:
    assert clean_msisdn(value) == "+6281234567890"


def test_it_refuses_a_samarinda_fixed_line_saying_so() -> None:
    assert "fixed line" in reason(clean_msisdn, "0541 741234")


@pytest.mark.parametrize(
    ("value", "words"),
    [("+14155552671", "Indonesian"), ("08123", "invalid"), ("nomor saya", "not a phone number"), ("", "required")],
)
def test_it_refuses_other_bad_numbers(value: str, words: str) -> None:
    assert words in reason(clean_msisdn, value)


def test_it_accepts_a_plausible_nip() -> None:
    assert clean_nip("19820315 200604 2 011") == "198203152006042011"
    assert clean_nip(nip(13999)) == nip(13999)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("19820315200604201", "18 digits"),
        ("", "required"),
        ("   ", "required"),
        ("198213152006042011", "birth date"),
        ("183003152006042011", "birth year"),
        ("201503152006042011", "birth year"),
        ("198203152006132011", "appointment"),
        ("198203151995042011", "appointment"),
        ("198203152099042011", "appointment"),
        ("198203152006043011", "sex digit"),
        ("198203152006041000", "serial"),
    ],
)
def test_it_refuses_implausible_nips(value: str, words: str) -> None:
    assert words in reason(clean_nip, value)


def test_nip_appointment_cannot_be_in_the_future() -> None:
    with pytest.raises(RuleError):
        clean_nip("198203152026122011", today=date(2026, 11, 29))
    assert clean_nip("198203152026112011", today=date(2026, 11, 29))


def test_it_checks_language_and_block_reason() -> None:
    assert clean_language("") == "id" and clean_language("EN") == "en"
    assert "id or en" in reason(clean_language, "jv")
    assert clean_block_reason(" Lost ") == "lost"
    assert "lost, stolen, damaged, other" in reason(clean_block_reason, "dropped")


def test_generated_data_is_valid() -> None:
    assert all(clean_imei(imei(n)) for n in (0, 1, 13999))
