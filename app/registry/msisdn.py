"""Indonesian mobile numbers: parse any usual spelling to E.164."""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType


def to_e164(raw: str) -> str | None:
    """E.164 for a valid Indonesian mobile number (`0812-...`, `62812...`, `+62812...`), else None."""
    cleaned = raw.strip()
    if cleaned.isdigit() and cleaned.startswith("62"):
        cleaned = "+" + cleaned
    try:
        number = phonenumbers.parse(cleaned, "ID")
    except NumberParseException:
        return None
    if number.country_code != 62 or not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def any_e164(raw: str) -> str | None:
    """E.164 for any valid number (gateway senders may be foreign), else None."""
    cleaned = raw.strip()
    if cleaned.isdigit() and cleaned.startswith("62"):
        cleaned = "+" + cleaned
    try:
        number = phonenumbers.parse(cleaned, "ID")
    except NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
