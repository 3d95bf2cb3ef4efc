"""POST /ussd end to end: sessions in Redis, gatekeeping, PINs, repeats, resume, jobs, events."""

from __future__ import annotations

import redis as redis_lib
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models import Handset, Official, UssdSessionEnd
from app.queues import get_queue
from app.registry.lookup import invalidate_msisdn
from app.security import pins
from app.ussd.effects import idempotency_key, job_id
from app.ussd.store import draft_key, session_key
from tests.ussd_client import DEMO_MSISDN, DEMO_PIN, GatewaySession

MAIN = "CON Melek\n1 Kirim laporan\n2 Cek status\n3 Pengumuman\n4 Akun saya"


def official_of(msisdn: str) -> Official:
    handset = db.session.scalars(select(Handset).where(Handset.msisdn == msisdn)).one()
    official = db.session.get(Official, handset.official_id)
    assert official is not None
    return official


def test_demo_number_enters_pin_and_reaches_the_main_menu(demo: Flask) -> None:
    s = GatewaySession(demo.test_client())
    assert s.dial() == "CON Melek\nMasukkan PIN Anda:"
    assert s.send(DEMO_PIN) == MAIN


def test_unknown_number_is_told_whom_to_call(demo: Flask) -> None:
    s = GatewaySession(demo.test_client(), phone="+6281299999999")
    assert s.dial().startswith("END Nomor Anda belum terdaftar di Melek. Hubungi admin Diskominfo")


def test_blocking_takes_effect_on_the_next_hop(demo: Flask) -> None:
    s = GatewaySession(demo.test_client())
    s.login()
    handset = db.session.scalars(select(Handset).where(Handset.msisdn == DEMO_MSISDN)).one()
    handset.status, handset.block_reason = "blocked", "lost"
    db.session.commit()
    invalidate_msisdn(DEMO_MSISDN)
    assert s.send("3") == "END Perangkat ini diblokir. Hubungi admin Diskominfo kabupaten/kota Anda."


def test_handset_not_activated_gets_its_own_end_screen(demo: Flask) -> None:
    handset = db.session.scalars(select(Handset).where(Handset.msisdn == DEMO_MSISDN)).one()
    handset.status = "provisioned"
    db.session.commit()
    invalidate_msisdn(DEMO_MSISDN)
    assert GatewaySession(demo.test_client()).dial().startswith("END Perangkat belum diaktifkan.")


def test_repeat_hop_returns_same_screen_without_counting_a_wrong_pin_twice(demo: Flask) -> None:
    s = GatewaySession(demo.test_client())
    s.dial()
    first = s.send("1111")
    assert first.startswith("CON PIN salah. Sisa 2 kali.")
    assert s.repeat() == first
    assert s.repeat() == first
    official = official_of(DEMO_MSISDN)
    assert pins.verify_pin(official.id, official.pin_hash, "1111").left == 1  # the first wrong PIN counted once


def test_star_inside_free_text_is_one_answer(demo: Flask) -> None:
    s = GatewaySession(demo.test_client())
    s.login()
    s.send("1")
    s.send("1")
    s.send("1")
    assert "terdampak" in s.send("Loa Janan*RT 05*dekat jembatan")
    s.send("25")
    confirm = s.send("3")
    assert "Banjir; Loa Janan*RT 05*dekat jembatan; 25; Biasa" in confirm


def test_text_that_does_not_extend_the_previous_restarts_with_a_note(demo: Flask) -> None:
    s = GatewaySession(demo.test_client())
    s.login()
    s.send("4")
    assert s.post("9*9") == "CON Sesi dimulai ulang.\n" + MAIN[4:]
    s.inputs = ["9", "9"]  # the gateway goes on from the text it last sent
    assert s.send("3").startswith("CON Pengumuman:")


def test_expired_session_starts_again_at_the_pin(demo: Flask, redis: redis_lib.Redis) -> None:
    s = GatewaySession(demo.test_client())
    s.login()
    redis.delete(session_key(s.session_id))
    assert s.send("3") == "CON Melek\nMasukkan PIN Anda:"
    assert s.send(DEMO_PIN) == MAIN


def test_a_shortcut_first_hop_asks_for_the_pin_without_a_restart_note(demo: Flask) -> None:
    s = GatewaySession(demo.test_client())
    s.inputs = ["2"]  # dialling *818*2# sends text "2" on the first hop
    assert s.post(s.text) == "CON Melek\nMasukkan PIN Anda:"
    assert s.send(DEMO_PIN) == MAIN  # the "2" was the base, the PIN the newest input
    assert s.send("2") == "CON Masukkan nomor referensi:\n0 Kembali 00 Menu"


def test_98_and_0_where_there_is_nowhere_to_go_are_no_wrong_answers(demo: Flask) -> None:
    s = GatewaySession(demo.test_client())
    s.login()
    for _ in range(4):
        assert s.send("98") == "CON Tidak ada halaman lagi.\n" + MAIN[4:]
        assert s.send("0") == MAIN
    assert s.send("7") == "CON Masukkan angka 1-4.\n" + MAIN[4:]  # the first strike, not the fourth
    assert s.send("4").startswith("CON Akun saya")


def test_a_session_is_logged_out_after_its_end_screen(demo: Flask) -> None:
    demo.config["USSD_WAIT_FOR_RESULT"] = 0.05
    s = GatewaySession(demo.test_client())
    s.login()
    s.send("2")
    end = s.send("12345671")
    assert end == "END Hasil pengecekan 12345671 akan dikirim via SMS."
    assert s.repeat() == end  # a retried last hop still gets its END, and nothing is queued twice
    assert get_queue("ussd").count == 2  # the quiet lookup and its SMS fallback, once each
    assert s.send("1") == "CON Melek\nMasukkan PIN Anda:"
    assert s.send("1") == "CON PIN harus 4-6 angka.\nMelek\nMasukkan PIN Anda:"
    assert s.send(DEMO_PIN) == MAIN


def test_after_three_strikes_the_same_session_id_needs_the_pin(demo: Flask) -> None:
    s = GatewaySession(demo.test_client())
    s.login()
    for _ in range(3):
        last = s.send("9")
    assert last.startswith("END Terlalu banyak jawaban salah.")
    assert s.repeat() == last
    assert s.post("") == "CON Melek\nMasukkan PIN Anda:"
    s.inputs = []
    assert s.send(DEMO_PIN) == MAIN


def test_new_pin_is_created_twice_and_stored_hashed(demo: Flask) -> None:
    phone = "+6281350000002"  # demo official without a PIN
    s = GatewaySession(demo.test_client(), phone=phone)
    assert s.dial().startswith("CON Buat PIN baru")
    assert "terlalu mudah" in s.send("1234")
    assert s.send("4826") == "CON Ulangi PIN baru:"
    assert s.send("4826").startswith("CON PIN tersimpan.\nMelek")
    official = official_of(phone)
    assert official.pin_hash and "4826" not in official.pin_hash
    assert pins.verify_pin(official.id, official.pin_hash, "4826").ok
    again = GatewaySession(demo.test_client(), phone=phone, session_id="ATUid_test_2")
    assert again.dial() == "CON Melek\nMasukkan PIN Anda:"


def test_three_wrong_pins_lock_usssd_and_the_lock_is_shared(demo: Flask) -> None:
    s = GatewaySession(demo.test_client())
    s.dial()
    s.send("1111")
    s.send("2222")
    locked = s.send("3333")
    assert locked.startswith("END PIN salah 3 kali. Akun terkunci sampai ") and locked.endswith(" WITA.")
    official = official_of(DEMO_MSISDN)
    assert pins.locked_until(official.id) is not None  # the same lock SMS `PIN` checks
    again = GatewaySession(demo.test_client(), session_id="ATUid_test_2")
    assert again.dial().startswith("END PIN salah 3 kali.")


def test_submitting_enqueues_one_job_with_a_deterministic_id(demo: Flask) -> None:
    demo.config["USSD_WAIT_FOR_RESULT"] = 0.05
    s = GatewaySession(demo.test_client())
    s.login()
    for inp in ("1", "4", "2"):
        s.send(inp)
    end = s.send("1")
    assert end == "END Laporan diterima. Nomor referensi akan dikirim via SMS."
    s.repeat()
    queue = get_queue("ussd")
    assert queue.count == 1
    job = queue.fetch_job(job_id("report", s.session_id, 1))
    assert job is not None and job.func_name == "workers.reports.file_report"
    official = official_of(DEMO_MSISDN)
    payload = job.args[0]
    assert payload == {
        "idempotency_key": idempotency_key(s.session_id, 1),
        "official_id": official.id,
        "handset_id": payload["handset_id"],
        "channel": "ussd",
        "report_type": "kehadiran",
        "fields": {"status": "lapangan"},
        "notify_msisdn": DEMO_MSISDN,
    }


def test_status_lookup_that_is_late_promises_an_sms_and_queues_it(demo: Flask) -> None:
    demo.config["USSD_WAIT_FOR_RESULT"] = 0.05
    s = GatewaySession(demo.test_client())
    s.login()
    s.send("2")
    assert "salah ketik" in s.send("12345678")
    assert s.send("12345671") == "END Hasil pengecekan 12345671 akan dikirim via SMS."
    queue = get_queue("ussd")
    quiet = queue.fetch_job(job_id("status", s.session_id, 1))
    loud = queue.fetch_job(job_id("status", s.session_id, 1) + "-sms")
    official = official_of(DEMO_MSISDN)
    assert quiet is not None and quiet.args == [official.id, "12345671", None]
    assert loud is not None and loud.args == [official.id, "12345671", DEMO_MSISDN]


def test_announcements_show_own_regency_and_province_only(demo: Flask) -> None:
    s = GatewaySession(demo.test_client())  # Samarinda (6472)
    s.login()
    listing = s.send("3")
    assert "Waspada banjir" in listing and "Rapat koordinasi" in listing
    assert "Pasar murah" not in listing  # Kutai Kartanegara's
    n = listing.split("\n")[1:].index(next(x for x in listing.split("\n")[1:] if "Waspada" in x)) + 1
    assert "BMKG: hujan lebat" in s.send(str(n))


def test_language_change_is_saved_for_the_next_session(demo: Flask) -> None:
    s = GatewaySession(demo.test_client())
    s.login()
    s.send("4")
    s.send("2")
    assert s.send("2").startswith("CON Language saved.\nMelek\n1 Send report")
    assert official_of(DEMO_MSISDN).language == "en"
    again = GatewaySession(demo.test_client(), session_id="ATUid_test_2")
    assert again.dial() == "CON Melek\nEnter your PIN:"


def test_a_dropped_form_is_resumed_in_a_new_session(demo: Flask) -> None:
    s = GatewaySession(demo.test_client())
    s.login()
    for inp in ("1", "2", "3", "21000"):
        s.send(inp)
    client = demo.test_client()
    client.post("/ussd/events", data={"sessionId": s.session_id, "phoneNumber": DEMO_MSISDN, "status": "Incomplete"})
    again = GatewaySession(client, session_id="ATUid_test_2")
    again.login()
    assert again.screens[-1].startswith("CON Ada laporan Harga bahan pokok yang belum selesai.")
    assert again.send("1") == "CON Nama pasar:\n0 Kembali 00 Menu"
    assert "Minyak goreng; 21.000; Pasar Segiri" in again.send("Pasar Segiri")


def test_end_of_session_events_are_recorded_without_input(demo: Flask, redis: redis_lib.Redis) -> None:
    form = {
        "sessionId": "ATUid_ev",
        "phoneNumber": DEMO_MSISDN,
        "serviceCode": "*818#",
        "networkCode": "51010",
        "status": "Incomplete",
        "durationInMillis": "45000",
        "hopsCount": "4",
        "input": DEMO_PIN,
        "lastAppResponse": "CON Melek",
        "errorMessage": "",
        "date": "2026-08-17 10:00:00",
    }
    assert demo.test_client().post("/ussd/events", data=form).status_code == 200
    [entry] = db.session.scalars(select(UssdSessionEnd)).all()
    assert (entry.status, entry.duration_ms, entry.hops, entry.msisdn) == ("Incomplete", 45000, 4, DEMO_MSISDN)
    assert not entry.simulated and DEMO_PIN not in repr(vars(entry))


def test_an_event_without_a_session_id_is_400_and_not_recorded(demo: Flask, redis: redis_lib.Redis) -> None:
    response = demo.test_client().post("/ussd/events", data={"status": "Success"})
    assert response.status_code == 400 and "sessionId" in response.get_json()["message"]
    assert db.session.scalar(select(func.count()).select_from(UssdSessionEnd)) == 0


def test_a_draft_this_version_cannot_continue_is_ignored(demo: Flask, redis: redis_lib.Redis) -> None:
    redis.set(draft_key(DEMO_MSISDN), b'{"type": "retired-type", "answers": {}, "idx": 0}')
    s = GatewaySession(demo.test_client())
    assert s.login() == MAIN
    redis.set(draft_key(DEMO_MSISDN), b"{not json")
    again = GatewaySession(demo.test_client(), session_id="ATUid_test_2")
    assert again.login() == MAIN
