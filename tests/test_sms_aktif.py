"""AKTIF <IMEI> <kode> by SMS binds the sender's number through the registry's `activate`."""

from __future__ import annotations

import pytest
from flask import Flask

from app.registry.lookup import handset_for_msisdn
from bench.registry_data import imei, msisdn
from tests.registry_helpers import add
from tests.sms_helpers import text_in


def pending(n: int) -> str:
    code = add(n, number=None).activation_code
    assert code is not None
    return code


def test_the_right_code_activates_and_then_commands_work(seeded: Flask) -> None:
    code = pending(1)
    [reply] = text_in(seeded, msisdn(1), f"aktif {imei(1)} {code}")
    assert reply == "Handset sudah aktif untuk nomor ini. Buat PIN lewat *818#."
    caller = handset_for_msisdn(msisdn(1))
    assert caller is not None and caller.status == "active"
    assert "Melek SMS" in text_in(seeded, msisdn(1), "INFO")[0]
    # the same message again (a new gateway id) is answered kindly, not as a failure
    assert text_in(seeded, msisdn(1), f"AKTIF {imei(1)} {code}")[0].startswith("Handset sudah aktif")


def test_english_keyword_and_a_wrong_code_counts_down(seeded: Flask) -> None:
    pending(2)
    [reply] = text_in(seeded, msisdn(2), f"ACTIVATE {imei(2)} 000000")
    assert reply == "Wrong activation code. Tries left: 4."


def test_an_unknown_imei_is_a_plain_failure_and_a_bad_format_gets_usage(seeded: Flask) -> None:
    assert text_in(seeded, msisdn(3), f"AKTIF {imei(3)} 123456") == ["Aktivasi gagal: IMEI atau kode salah."]
    assert text_in(seeded, msisdn(3), "AKTIF 12345 1") == ["Format: AKTIF <IMEI 15 angka> <kode>"]


def test_a_number_already_in_use_is_refused(seeded: Flask) -> None:
    add(4)  # active with msisdn(4)
    code = pending(5)
    [reply] = text_in(seeded, msisdn(4), f"AKTIF {imei(5)} {code}")
    assert "sudah terpakai" in reply or "gagal" in reply


def test_activation_tries_per_number_are_limited(seeded: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.sms.commands.account.ACTIVATION_TRIES", 3)  # 10 a day; 3 keeps under the rate limit
    for n in range(3):
        text_in(seeded, msisdn(6), f"AKTIF {imei(100 + n)} 123456")
    [reply] = text_in(seeded, msisdn(6), f"AKTIF {imei(6)} 123456")
    assert reply.startswith("Terlalu banyak percobaan aktivasi")
