"""Rules for IMEIs, mobile numbers, NIPs and the other registry inputs (pure functions).

Each `clean_*` returns the canonical form or raises `RuleError` with the field and a reason
an admin understands (Indonesian, then English).
"""

from __future__ import annotations

from datetime import date

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType
from stdnum import imei as stdnum_imei
from stdnum import luhn
from stdnum.exceptions import ValidationError

from app.models.handset import BlockReason
from app.registry.errors import RuleError

LANGUAGES = ("id", "en")
MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
# Known placeholders beyond the patterns below (test handsets, emulators, documentation).
PLACEHOLDER_IMEIS = frozenset({"123456789012347", "012345678901237", "987654321098765"})


def digits_of(raw: str) -> str:
    """Drop the spaces, dashes, dots and slashes people type inside long numbers."""
    return "".join(ch for ch in raw.strip() if ch not in " -./")


def clean_imei(raw: str) -> str:
    """A valid 15-digit IMEI (Luhn-checked by python-stdnum), not a placeholder."""
    number = digits_of(raw)
    if not number:
        raise RuleError("IMEI wajib diisi / IMEI is required.", "imei")
    if not number.isdigit():
        raise RuleError("IMEI hanya berisi angka / IMEI must contain digits only.", "imei")
    if len(number) == 16:
        imei = number[:14] + luhn.calc_check_digit(number[:14])
        raise RuleError(
            f"Ini IMEISV (16 digit); masukkan IMEI 15 digit {imei} / "
            f"this is an IMEISV (16 digits); enter the 15-digit IMEI {imei}.",
            "imei",
        )
    if len(number) != 15:
        count = len(number)
        raise RuleError(f"IMEI harus 15 digit, bukan {count} / IMEI must be 15 digits, not {count}.", "imei")
    if is_placeholder_imei(number):
        raise RuleError("IMEI contoh/palsu, bukan IMEI ponsel / placeholder IMEI, not a real handset's.", "imei")
    try:
        stdnum_imei.validate(number)
    except ValidationError:
        raise RuleError(
            "Digit pemeriksa IMEI salah (salah ketik?) / IMEI check digit is wrong (a typo?).", "imei"
        ) from None
    return number


def is_placeholder_imei(number: str) -> bool:
    """All-equal or two-digit patterns, counting runs, test TACs (00...) and known dummies."""
    body = number[:14]
    if number in PLACEHOLDER_IMEIS or len(set(body)) < 3 or body.startswith("00"):
        return True
    steps = {(int(b) - int(a)) % 10 for a, b in zip(body, body[1:], strict=False)}
    return steps in ({1}, {9})  # 1234567890123..., 9876543210987...


def clean_msisdn(raw: str) -> str:
    """E.164 for an Indonesian mobile number in any usual spelling; fixed lines refused."""
    text = raw.strip()
    if not text:
        raise RuleError("Nomor HP wajib diisi / mobile number is required.", "msisdn")
    if text.isdigit() and text.startswith("62"):
        text = "+" + text
    try:
        number = phonenumbers.parse(text, "ID")
    except NumberParseException:
        raise RuleError("Bukan nomor telepon / not a phone number.", "msisdn") from None
    if number.country_code != 62:
        raise RuleError("Bukan nomor Indonesia (+62) / not an Indonesian (+62) number.", "msisdn")
    kind = phonenumbers.number_type(number)  # UNKNOWN when invalid: one metadata walk, not two
    if kind == PhoneNumberType.UNKNOWN:
        raise RuleError("Nomor tidak valid (jumlah digit/awalan) / invalid number (length or prefix).", "msisdn")
    if kind not in MOBILE_TYPES:
        raise RuleError(
            "Ini nomor telepon rumah/kantor, bukan nomor HP / this is a fixed line, not a mobile number.", "msisdn"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_nip(raw: str, today: date | None = None) -> str:
    """An 18-digit NIP: birth date (8), appointment year-month (6), sex (1), serial (3)."""
    nip = digits_of(raw)
    today = today or date.today()
    if not raw.strip():
        raise RuleError("NIP wajib diisi (18 digit) / NIP is required (18 digits).", "nip")
    if not nip.isdigit() or len(nip) != 18:
        raise RuleError("NIP harus 18 digit / NIP must be 18 digits.", "nip")
    try:
        born = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        message = f"Tanggal lahir {nip[0:8]} di NIP tidak ada / birth date in NIP is not a date."
        raise RuleError(message, "nip") from None
    if not 1940 <= born.year <= today.year - 17:
        raise RuleError(f"Tahun lahir {born.year} di NIP tidak masuk akal / implausible birth year.", "nip")
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12 or not born.year + 17 <= year or (year, month) > (today.year, today.month):
        raise RuleError(f"TMT pengangkatan {nip[8:14]} di NIP tidak masuk akal / implausible appointment date.", "nip")
    if nip[14] not in "12":
        raise RuleError("Digit jenis kelamin NIP harus 1 atau 2 / NIP sex digit must be 1 or 2.", "nip")
    if nip[15:] == "000":
        raise RuleError("Nomor urut NIP tidak boleh 000 / NIP serial cannot be 000.", "nip")
    return nip


def clean_name(raw: str, field: str = "official_name") -> str:
    """A person's name: trimmed, single-spaced, 2-120 characters."""
    name = " ".join(raw.split())
    if not 2 <= len(name) <= 120:
        raise RuleError("Nama wajib diisi (2-120 huruf) / name is required (2-120 characters).", field)
    return name


def clean_position(raw: str) -> str:
    """A job title, optional, at most 120 characters."""
    position = " ".join(raw.split())
    if len(position) > 120:
        raise RuleError("Jabatan terlalu panjang (maks. 120) / position too long (max 120).", "position")
    return position


def clean_language(raw: str) -> str:
    """`id` or `en`; blank means Indonesian."""
    language = raw.strip().lower() or "id"
    if language not in LANGUAGES:
        raise RuleError("Bahasa harus id atau en / language must be id or en.", "language")
    return language


def clean_block_reason(raw: str) -> str:
    """One of lost, stolen, damaged, other."""
    reason = raw.strip().lower()
    if reason not in tuple(BlockReason):
        raise RuleError(
            f"Alasan harus salah satu dari / reason must be one of: {', '.join(tuple(BlockReason))}.", "reason"
        )
    return reason
