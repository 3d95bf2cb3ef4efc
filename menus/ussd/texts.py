"""Texts of the USSD screens in Bahasa Indonesia and English (GSM-7 only, kept short)."""

from __future__ import annotations

from datetime import datetime

from menus.clock import local_hhmm

TEXTS: dict[str, tuple[str, str]] = {
    # Gatekeeping (END screens before any menu).
    "unknown": (
        "Nomor Anda belum terdaftar di Melek. Hubungi admin Diskominfo kabupaten/kota Anda.",
        "This number is not registered with Melek. Contact your regency's Diskominfo admin.",
    ),
    "blocked": (
        "Perangkat ini diblokir. Hubungi admin Diskominfo kabupaten/kota Anda.",
        "This handset is blocked. Contact your regency's Diskominfo admin.",
    ),
    "not_active": (
        "Perangkat belum diaktifkan. Kirim SMS AKTIF <IMEI> <kode> atau hubungi admin Anda.",
        "Handset not activated yet. Send SMS AKTIF <IMEI> <code> or contact your admin.",
    ),
    "busy": (
        "Layanan sedang sibuk, silakan coba lagi.",
        "Service busy, please try again.",
    ),
    "too_many": (
        "Terlalu banyak jawaban salah. Silakan tekan *818# lagi.",
        "Too many wrong answers. Please dial *818# again.",
    ),
    "locked": (
        "PIN salah 3 kali. Akun terkunci sampai {until}.",
        "Wrong PIN 3 times. Account locked until {until}.",
    ),
    "restarted": ("Sesi dimulai ulang.", "Session restarted."),
    # PIN.
    "pin_enter": ("Melek\nMasukkan PIN Anda:", "Melek\nEnter your PIN:"),
    "pin_wrong": ("PIN salah. Sisa {left} kali.", "Wrong PIN. {left} tries left."),
    "pin_new": (
        "Buat PIN baru (4-6 angka, bukan 1234/1111):",
        "Create a new PIN (4-6 digits, not 1234/1111):",
    ),
    "pin_again": ("Ulangi PIN baru:", "Repeat the new PIN:"),
    "pin_mismatch": ("PIN tidak sama, ulangi.", "PINs differ, try again."),
    "pin_saved": ("PIN tersimpan.", "PIN saved."),
    "pin_old": ("Masukkan PIN lama:", "Enter your current PIN:"),
    "pin_changed": ("PIN berhasil diganti.", "PIN changed."),
    "pin_format": ("PIN harus 4-6 angka.", "The PIN must be 4-6 digits."),
    "pin_trivial": ("PIN terlalu mudah ditebak (urut/berulang).", "PIN too easy to guess (run/repeat)."),
    # Resume.
    "resume": (
        "Ada laporan {what} yang belum selesai.\n1 Lanjutkan\n2 Mulai baru",
        "You have an unfinished {what} report.\n1 Continue\n2 Start over",
    ),
    # Main menu (labels fixed by the contract).
    "main": (
        "Melek\n1 Kirim laporan\n2 Cek status\n3 Pengumuman\n4 Akun saya",
        "Melek\n1 Send report\n2 Check status\n3 Announcements\n4 My account",
    ),
    "report_types": ("Jenis laporan:", "Report type:"),
    "confirm": ("Kirim laporan?", "Send report?"),
    "confirm_opts": ("1 Kirim\n2 Ubah", "1 Send\n2 Edit"),
    "filed": (
        "Laporan terkirim. No. ref: {ref}. Konfirmasi juga dikirim via SMS.",
        "Report sent. Ref no: {ref}. A confirmation also comes by SMS.",
    ),
    "filed_later": (
        "Laporan diterima. Nomor referensi akan dikirim via SMS.",
        "Report received. The reference number will come by SMS.",
    ),
    "date_prompt": (
        "{label} (DDMMYYYY)\n1 Hari ini\n2 Kemarin",
        "{label} (DDMMYYYY)\n1 Today\n2 Yesterday",
    ),
    # Status.
    "status_prompt": ("Masukkan nomor referensi:", "Enter the reference number:"),
    "status_found": ("No. {ref}: {status}\n{summary}", "No. {ref}: {status}\n{summary}"),
    "status_missing": (
        "Nomor {ref} tidak ditemukan di kabupaten/kota Anda.",
        "Number {ref} was not found in your regency.",
    ),
    "status_later": (
        "Hasil pengecekan {ref} akan dikirim via SMS.",
        "The status of {ref} will come by SMS.",
    ),
    # Announcements.
    "ann_title": ("Pengumuman:", "Announcements:"),
    "ann_none": ("Belum ada pengumuman.", "No announcements yet."),
    # Account.
    "account": (
        "Akun saya\n1 Ganti PIN\n2 Ganti bahasa\n3 Info akun",
        "My account\n1 Change PIN\n2 Change language\n3 Account info",
    ),
    "language": (
        "Pilih bahasa:\n1 Bahasa Indonesia\n2 English",
        "Language:\n1 Bahasa Indonesia\n2 English",
    ),
    "language_set": ("Bahasa disimpan.", "Language saved."),
    "info": (
        "{name}\n{regency}\nIMEI: {imei}",
        "{name}\n{regency}\nIMEI: {imei}",
    ),
    # Navigation and errors.
    "nav_more": ("98 Lanjut", "98 More"),
    "nav_back": ("0 Kembali", "0 Back"),
    "nav_home": ("00 Menu", "00 Menu"),
    "nav_hint": ("Ketik 98, 0 atau 00.", "Type 98, 0 or 00."),
    "no_more": ("Tidak ada halaman lagi.", "No more pages."),
    "err_choice": ("Masukkan angka 1-{n}.", "Enter a number 1-{n}."),
    "err_int": ("Masukkan angka {min}-{max}.", "Enter a number {min}-{max}."),
    "err_text_short": ("Jawaban terlalu pendek.", "Answer too short."),
    "err_text_long": ("Maksimal {n} huruf.", "At most {n} characters."),
    "err_date": ("Tanggal tidak valid. Contoh: 17082026.", "Invalid date. Example: 17082026."),
    "err_date_range": (
        "Tanggal di masa depan atau terlalu lama.",
        "Date in the future or too old.",
    ),
    "err_ref": (
        "Nomor referensi salah ketik. Periksa lagi.",
        "That reference number has a typo. Check it.",
    ),
    "err_ref_format": (
        "Nomor referensi berupa angka, mis. 1234567894.",
        "A reference number is digits, e.g. 1234567894.",
    ),
}


def t(key: str, lang: str, **values: object) -> str:
    """The text `key` in `lang` (`id` or `en`), with `{placeholders}` filled in."""
    pair = TEXTS[key]
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**values) if values else text


def label(pair: tuple[str, str], lang: str) -> str:
    """Pick the Indonesian or English label of a pair."""
    return pair[1] if lang == "en" else pair[0]


def format_until(moment: datetime) -> str:
    """A lockout end as officials read it: local East Kalimantan time (WITA); "admin" for a
    lock only an admin's PIN reset ends (app.security.pins.HARD_LOCK, datetime.max)."""
    if moment.year == datetime.max.year:
        return "reset admin"
    return local_hhmm(moment) + " WITA"
