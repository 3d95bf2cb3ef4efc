"""SMS commands end to end: webhook -> worker -> reply in the outbox, in both languages."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import CrisisContact, Handset, InboundMessage, Incident, Official, ReportReceipt
from app.registry.lookup import invalidate_msisdn
from app.security.pins import verify_pin
from app.seed import DEMO_MSISDN, DEMO_PIN
from menus.refs import is_valid_reference
from tests.sms_helpers import inbound_statuses, replies_to, text_in
from workers.sms import handle_inbound

ID_PHONE = DEMO_MSISDN  # Siti, language id, PIN 7391
EN_PHONE = "+6281350000003"  # Maria, language en, no PIN
STRANGER = "+6281299998888"
CONTACT = "+6281255550000"


@pytest.mark.parametrize(
    ("phone", "body", "expected"),
    [
        (ID_PHONE, "INFO", "LAPOR <jenis> <teks>"),
        (ID_PHONE, "bantuan", "LAPOR <jenis> <teks>"),
        (ID_PHONE, "HELP", "LAPOR <jenis> <teks>"),  # an official's own language wins
        (EN_PHONE, "help", "LAPOR <type> <text>"),
        (EN_PHONE, "info", "LAPOR <type> <text>"),
        (ID_PHONE, "halo pak", "Melek SMS: STATUS <ref>"),
        (EN_PHONE, "good morning", "Melek SMS: STATUS <ref>"),
        (ID_PHONE, "STATSU 12345678", "Maksud Anda: STATUS?"),
        (EN_PHONE, "lapr banjir", "Did you mean: LAPOR?"),
        (ID_PHONE, "STATUS 12345679", "tidak valid"),
        (EN_PHONE, "check 12345679", "is not valid"),
        (ID_PHONE, "LAPOR PIKNIK seru", "Jenis laporan tidak dikenal"),
        (EN_PHONE, "report", "Format: LAPOR <type> <text>"),
    ],
)
def test_each_command_answers_in_the_officials_language(demo: Flask, phone: str, body: str, expected: str) -> None:
    [reply] = text_in(demo, phone, body)
    assert expected in reply
    assert inbound_statuses(phone)[-1][0] == "handled"


def test_a_repeated_gateway_id_is_answered_once(demo: Flask) -> None:
    text_in(demo, ID_PHONE, "INFO", gateway_id="ATXid_same")
    text_in(demo, ID_PHONE, "INFO", gateway_id="ATXid_same")
    assert len(replies_to(ID_PHONE)) == 1


def test_the_handling_job_run_twice_replies_once(demo: Flask) -> None:
    text_in(demo, ID_PHONE, "INFO")
    assert handle_inbound().startswith("0 ")  # nothing left to claim
    assert len(replies_to(ID_PHONE)) == 1


def test_an_unknown_number_is_refused_once_a_day(demo: Flask) -> None:
    [refusal] = text_in(demo, STRANGER, "INFO")
    assert "belum terdaftar" in refusal and "not registered" in refusal
    assert text_in(demo, STRANGER, "STATUS 12345678") == []
    assert [s for s, _ in inbound_statuses(STRANGER)] == ["ignored", "ignored"]


def test_a_blocked_handset_is_refused(demo: Flask) -> None:
    handset = db.session.scalar(select(Handset).where(Handset.msisdn == ID_PHONE))
    assert handset is not None
    handset.status, handset.block_reason = "blocked", "lost"
    db.session.commit()
    invalidate_msisdn(ID_PHONE)
    [reply] = text_in(demo, ID_PHONE, "LAPOR BANJIR air naik")
    assert "diblokir" in reply
    assert text_in(demo, ID_PHONE, "INFO") == []


@pytest.mark.parametrize("body", ["Balasan otomatis: sedang cuti", "Pesan Anda telah terkirim"])
def test_auto_replies_and_delivery_notices_are_never_answered(demo: Flask, body: str) -> None:
    assert text_in(demo, ID_PHONE, body) == []
    assert inbound_statuses(ID_PHONE)[-1][0] == "ignored"


def test_pin_change_with_the_right_old_pin(demo: Flask) -> None:
    [reply] = text_in(demo, ID_PHONE, f"PIN {DEMO_PIN} 4826")
    assert reply == "PIN Anda sudah diganti."
    kept = db.session.scalars(select(InboundMessage.text)).all()
    assert kept == ["PIN **** ****"]  # the PINs are not kept in the message log
    official = db.session.scalar(select(Official).where(Official.name == "Siti Rahmawati"))
    assert official is not None and verify_pin(official.id, official.pin_hash, "4826").ok


def test_pin_rules_and_lockout_are_the_ussd_ones(demo: Flask) -> None:
    assert text_in(demo, ID_PHONE, f"PIN {DEMO_PIN} 1111") == ["PIN baru terlalu mudah ditebak. Pilih yang lain."]
    assert text_in(demo, ID_PHONE, "PIN 0000 4826") == ["PIN lama salah."]
    assert text_in(demo, ID_PHONE, "PIN 0001 4826") == ["PIN lama salah."]
    [locked] = text_in(demo, ID_PHONE, "PIN 0002 4826")
    assert locked.startswith("Terlalu banyak PIN salah")
    [still] = text_in(demo, ID_PHONE, f"PIN {DEMO_PIN} 4826")
    assert still.startswith("Terlalu banyak PIN salah")


def test_pin_in_english_without_a_pin_set(demo: Flask) -> None:
    assert text_in(demo, EN_PHONE, "PIN 1234 4826") == ["No PIN set yet. Set one via *818# first."]


def test_lapor_files_a_report_and_status_finds_it(demo: Flask) -> None:
    [reply] = text_in(demo, ID_PHONE, "lapor HARGA: cabai rawit 80rb/kg di Pasar Segiri")
    assert reply.startswith("Laporan Harga bahan pokok diterima. No. ref: ")
    ref = reply.split("No. ref: ")[1].split(".")[0]
    assert is_valid_reference(ref)
    [status] = text_in(demo, ID_PHONE, f"Status:{ref[:4]}-{ref[4:]}")
    assert status.startswith(f"Ref {ref}: ") and "cabai rawit" in status
    # another regency's official is told "not found", exactly like a missing record
    assert text_in(demo, EN_PHONE, f"check {ref}") == [f"Reference {ref} not found."]


def test_an_english_official_is_answered_in_english_throughout(demo: Flask) -> None:
    [reply] = text_in(demo, EN_PHONE, "REPORT flood water rising at the market")
    assert reply.startswith("Disaster/Emergency report received. Ref: ") and "STATUS" in reply


def test_lapor_banjir_files_a_disaster_report_and_alerts_the_crisis_center(demo: Flask) -> None:
    db.session.add(CrisisContact(regency_code="6472", name="BPBD Samarinda", msisdn=CONTACT))
    db.session.commit()
    [reply] = text_in(demo, ID_PHONE, "LAPOR BANJIR air setinggi 1m di Desa Loa")
    assert reply.startswith("Laporan Bencana/Darurat diterima.")
    ref = reply.split("No. ref: ")[1].split(".")[0]
    incident = db.session.scalar(select(Incident).where(Incident.ref == ref))
    assert incident is not None and incident.kind == "banjir"
    [alert] = replies_to(CONTACT)
    assert ref in alert
    # the contact is no Melek handset, yet OK <ref> reaches the back office
    [thanks] = text_in(demo, CONTACT, f"OK {ref}")
    assert "dikonfirmasi" in thanks
    db.session.refresh(incident)
    assert incident.acknowledged_by == CONTACT


def test_the_same_lapor_message_handled_twice_files_one_record(demo: Flask) -> None:
    text_in(demo, ID_PHONE, "LAPOR KEHADIRAN rapat desa 12 orang")
    inbound_id = db.session.scalar(select(InboundMessage.id).where(InboundMessage.sender == ID_PHONE))
    assert inbound_id is not None
    # As if the worker died before its commit, and its lease expired.
    db.session.execute(update(InboundMessage).values(status="received", lease_until=None))
    db.session.commit()
    handle_inbound()
    replies = replies_to(ID_PHONE)
    assert len(replies) == 2 and replies[0] == replies[1]  # same reference both times
    assert db.session.scalar(select(func.count()).select_from(ReportReceipt)) == 1


def test_ok_with_a_bad_reference_gets_usage(demo: Flask) -> None:
    assert text_in(demo, CONTACT, "OK 12345679") == ["Format: OK <nomor ref>"]
