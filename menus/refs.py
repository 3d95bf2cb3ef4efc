"""Reference numbers: digits only, ending in a Damm check digit.

Damm catches every single-digit error and every swap of adjacent digits, the two typos a
keypad invites, before any lookup is made.
"""

from __future__ import annotations

from stdnum import damm

MIN_LEN, MAX_LEN = 8, 12
SEPARATORS = " -./"


def make_reference(body: str) -> str:
    """Append the check digit to a string of digits."""
    if not body.isdigit():
        raise ValueError("reference body must be digits")
    return body + damm.calc_check_digit(body)


def normalize_reference(text: str) -> str | None:
    """The reference in `text` with separators removed, if it is well-formed and checks."""
    cleaned = "".join(ch for ch in text.strip() if ch not in SEPARATORS)
    return cleaned if is_valid_reference(cleaned) else None


def looks_like_reference(text: str) -> bool:
    """Shaped like a reference (digits, 8-12 after separators), whether or not it checks."""
    cleaned = "".join(ch for ch in text.strip() if ch not in SEPARATORS)
    return cleaned.isdigit() and MIN_LEN <= len(cleaned) <= MAX_LEN


def is_valid_reference(text: str) -> bool:
    """Digits only, 8-12 long, and a correct check digit."""
    return text.isdigit() and MIN_LEN <= len(text) <= MAX_LEN and damm.is_valid(text)
