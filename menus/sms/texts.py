"""Every SMS reply, in Bahasa Indonesia and English; each fits one GSM-7 SMS (160)."""

from __future__ import annotations

from menus.sms.lapor import LISTED

TEXTS: dict[str, dict[str, str]] = {
    "help": {
        "id": "Melek SMS: STATUS <ref> | LAPOR <jenis> <teks> | PIN <lama> <baru> | AKTIF <IMEI> <kode> | "
        "INFO. Contoh: LAPOR BANJIR air 1m di Desa X",
        "en": "Melek SMS: STATUS <ref> | LAPOR <type> <text> | PIN <old> <new> | AKTIF <IMEI> <code> | "
        "HELP. Example: LAPOR FLOOD water 1m in X",
    },
    "suggest": {
        "id": "Maksud Anda: {word}? Ketik INFO untuk daftar perintah.",
        "en": "Did you mean: {word}? Text HELP for the commands.",
    },
    "unknown_sender": {
        "id": "Nomor ini belum terdaftar di Melek. Hubungi admin Diskominfo kab/kota Anda. "
        "This number is not registered with Melek; contact your regency admin.",
        "en": "This number is not registered with Melek; contact your regency admin. "
        "Nomor ini belum terdaftar di Melek. Hubungi admin kab/kota Anda.",
    },
    "blocked": {
        "id": "Handset ini diblokir. Hubungi admin Diskominfo kab/kota Anda.",
        "en": "This handset is blocked. Contact your regency admin.",
    },
    "not_active": {
        "id": "Handset belum aktif. Kirim: AKTIF <IMEI> <kode aktivasi>.",
        "en": "Handset not active yet. Text: AKTIF <IMEI> <activation code>.",
    },
    "status_usage": {
        "id": "Format: STATUS <nomor ref>. Contoh: STATUS 1234567894",
        "en": "Format: STATUS <ref number>. Example: STATUS 1234567894",
    },
    "status_bad_ref": {
        "id": "Nomor ref {ref} tidak valid. Periksa kembali angkanya.",
        "en": "Reference {ref} is not valid. Please check the digits.",
    },
    "status_not_found": {"id": "Ref {ref} tidak ditemukan.", "en": "Reference {ref} not found."},
    "status_found": {"id": "Ref {ref}: {status}. {summary}", "en": "Ref {ref}: {status}. {summary}"},
    "lapor_usage": {
        "id": "Format: LAPOR <jenis> <keterangan>. Jenis: " + LISTED,
        "en": "Format: LAPOR <type> <text>. Types: " + LISTED,
    },
    "lapor_unknown_type": {
        "id": "Jenis laporan tidak dikenal. Jenis: " + LISTED,
        "en": "Unknown report type. Types: " + LISTED,
    },
    "lapor_no_text": {
        "id": "Tambahkan keterangan. Contoh: LAPOR BANJIR air 1m di Desa X",
        "en": "Add a description. Example: LAPOR FLOOD water 1m in X",
    },
    "lapor_filed": {
        "id": "Laporan {report_type} diterima. No. ref: {ref}. Cek: STATUS {ref}",
        "en": "{report_type} report received. Ref: {ref}. Check: STATUS {ref}",
    },
    "lapor_refused": {
        "id": "Laporan tidak dapat diterima. Periksa isinya atau lapor lewat *818#.",
        "en": "The report could not be accepted. Check it or report via *818#.",
    },
    "pin_usage": {"id": "Format: PIN <PIN lama> <PIN baru>", "en": "Format: PIN <old PIN> <new PIN>"},
    "pin_wrong": {"id": "PIN lama salah.", "en": "Old PIN is wrong."},
    "pin_locked": {
        "id": "Terlalu banyak PIN salah. Coba lagi setelah {until} WITA.",
        "en": "Too many wrong PINs. Try again after {until} WITA.",
    },
    "pin_locked_hard": {
        "id": "Terlalu banyak PIN salah. PIN terkunci: minta admin kab/kota mereset PIN Anda.",
        "en": "Too many wrong PINs. PIN locked: ask your regency admin to reset it.",
    },
    "pin_format": {"id": "PIN baru harus 4-6 angka.", "en": "The new PIN must be 4-6 digits."},
    "pin_trivial": {
        "id": "PIN baru terlalu mudah ditebak. Pilih yang lain.",
        "en": "The new PIN is too easy to guess. Choose another.",
    },
    "pin_changed": {"id": "PIN Anda sudah diganti.", "en": "Your PIN has been changed."},
    "pin_none": {
        "id": "Belum ada PIN. Buat PIN lewat *818# terlebih dahulu.",
        "en": "No PIN set yet. Set one via *818# first.",
    },
    "aktif_usage": {"id": "Format: AKTIF <IMEI 15 angka> <kode>", "en": "Format: ACTIVATE <15-digit IMEI> <code>"},
    "aktif_done": {
        "id": "Handset sudah aktif untuk nomor ini. Buat PIN lewat *818#.",
        "en": "Handset active for this number. Set your PIN via *818#.",
    },
    "aktif_failed": {
        "id": "Aktivasi gagal: IMEI atau kode salah.",
        "en": "Activation failed: wrong IMEI or code.",
    },
    "aktif_wrong_code": {
        "id": "Kode aktivasi salah. Sisa percobaan: {left}.",
        "en": "Wrong activation code. Tries left: {left}.",
    },
    "aktif_expired": {
        "id": "Kode aktivasi tidak berlaku lagi. Minta kode baru ke admin kab/kota Anda.",
        "en": "The activation code is no longer valid. Ask your regency admin for a new one.",
    },
    "aktif_in_use": {
        "id": "Nomor ini sudah terpakai di handset lain. Hubungi admin kab/kota Anda.",
        "en": "This number is already used by another handset. Contact your regency admin.",
    },
    "aktif_bad_number": {
        "id": "Nomor pengirim bukan nomor seluler Indonesia yang sah.",
        "en": "The sending number is not a valid Indonesian mobile number.",
    },
    "aktif_locked": {
        "id": "Terlalu banyak percobaan aktivasi. Coba lagi besok atau hubungi admin.",
        "en": "Too many activation attempts. Try tomorrow or contact your admin.",
    },
    "ok_usage": {"id": "Format: OK <nomor ref>", "en": "Format: OK <ref number>"},
    # Sent by the back-office jobs (filing a report, a status lookup, an admin's status change).
    "report_confirmed": {
        "id": "Laporan {label} diterima. No. ref: {ref}. Cek status: STATUS {ref}",
        "en": "Report {label} received. Ref: {ref}. Check it: STATUS {ref}",
    },
    "record_status": {"id": "Ref {ref}: {status}. {summary}", "en": "Ref {ref}: {status}. {summary}"},
    "record_not_found": {
        "id": "Ref {ref} tidak ditemukan. Periksa nomornya.",
        "en": "Ref {ref} not found. Please check the number.",
    },
    "status_unavailable": {
        "id": "Maaf, status ref {ref} belum dapat dicek (gangguan sistem). Coba lagi nanti: STATUS {ref}",
        "en": "Sorry, ref {ref} cannot be checked now (system problem). Try later: STATUS {ref}",
    },
    "report_unavailable": {
        "id": "Maaf, laporan {label} belum dapat dikirim (gangguan sistem). Silakan kirim ulang nanti.",
        "en": "Sorry, your {label} report could not be filed (system problem). Please send it again later.",
    },
    "status_changed": {"id": "Ref {ref} kini {status}. {note}", "en": "Ref {ref} is now {status}. {note}"},
    # The reporter of an emergency hears when the Crisis Center takes it up and when it closes it.
    "incident_acknowledged": {
        "id": "Laporan darurat ref {ref} sudah diterima Crisis Center dan sedang ditangani.",
        "en": "Emergency report ref {ref} was received by the Crisis Center and is being handled.",
    },
    "incident_closed": {
        "id": "Laporan darurat ref {ref} ditutup Crisis Center: {outcome}",
        "en": "Emergency report ref {ref} was closed by the Crisis Center: {outcome}",
    },
    # The Crisis Center's alerts (Indonesian) and its `OK <ref>` replies (both languages at once).
    "crisis_alert": {
        "id": "{prefix} {kind} ({severity}) di {where}; {people}. Pelapor: {reporter}. Ref {ref}. Balas OK {ref}",
    },
    "crisis_new": {"id": "DARURAT"},
    "crisis_escalated": {"id": "ESKALASI: belum dikonfirmasi."},
    "crisis_people": {"id": "{count} warga"},
    "crisis_people_unknown": {"id": "jumlah warga ?"},
    "crisis_not_contact": {
        "id": "Nomor ini bukan kontak Crisis Center. / This number is not a Crisis Center contact.",
    },
    "crisis_not_found": {"id": "Insiden {ref} tidak ditemukan. / Incident not found."},
    "crisis_already": {"id": "Insiden {ref} sudah dikonfirmasi oleh {by}. / Already acknowledged."},
    "crisis_acknowledged": {"id": "Terima kasih, insiden {ref} dikonfirmasi. / Thank you, incident acknowledged."},
}


def text(key: str, language: str, **values: object) -> str:
    """The text `key` in `language` ("id" or "en"; anything else is "id"), filled in."""
    variants = TEXTS[key]
    return variants.get(language, variants["id"]).format(**values).strip()
