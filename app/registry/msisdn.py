"""Indonesian mobile numbers: parse any usual spelling to E.164."""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberType

MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


def parse(raw: str) -> PhoneNumber | None:
    """Parse with Indonesia as the default region; `62812...` without `+` counts as +62."""
    cleaned = raw.strip()
    if cleaned.isdigit() and cleaned.startswith("62"):
        cleaned = "+" + cleaned
    try:
        return phonenumbers.parse(cleaned, "ID")
    except NumberParseException:
        return None


def e164(number: PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def to_e164(raw: str) -> str | None:
    """E.164 for a valid Indonesian mobile number (`0812-...`, `62812...`, `+62812...`), else None."""
    number = parse(raw)
    if number is None or number.country_code != 62 or not phonenumbers.is_valid_number(number):
        return None
    return e164(number) if phonenumbers.number_type(number) in MOBILE_TYPES else None


def any_e164(raw: str) -> str | None:
    """E.164 for any possible number (gateway senders may be foreign), else None."""
    number = parse(raw)
    return e164(number) if number is not None and phonenumbers.is_possible_number(number) else None
