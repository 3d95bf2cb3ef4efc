"""Answers to report fields: parsing what an official types, showing it back, validating a set."""

from __future__ import annotations

from datetime import date, timedelta

from menus.reports import Field, FieldValue


def parse_field(f: Field, raw: str, today: date) -> tuple[FieldValue | None, str | None]:
    """Validate one answer: `(value, None)` or `(None, key of a message in menus.ussd.texts)`."""
    raw = raw.strip()
    if f.kind == "choice":
        if raw.isdigit() and 1 <= int(raw) <= len(f.options):
            return f.options[int(raw) - 1].key, None
        return None, "err_choice"
    if f.kind == "int":
        digits = raw.replace(".", "").replace(",", "")
        if digits.isdigit() and f.minimum <= int(digits) <= f.maximum:
            return int(digits), None
        return None, "err_int"
    if f.kind == "date":
        return _parse_date(raw, today, f.minimum)
    text = " ".join(raw.split())
    if len(text) < 2:
        return None, "err_text_short"
    if len(text) > f.max_len:
        return None, "err_text_long"
    return text, None


def _parse_date(raw: str, today: date, max_days_back: int) -> tuple[str | None, str | None]:
    """`1` today, `2` yesterday, or DDMMYYYY / DD-MM-YYYY within the last `max_days_back` days."""
    if raw == "1":
        return today.isoformat(), None
    if raw == "2":
        return (today - timedelta(days=1)).isoformat(), None
    digits = "".join(ch for ch in raw if ch.isdigit())
    if len(digits) != 8 or len(digits) != len(raw.replace("-", "").replace("/", "")):
        return None, "err_date"
    try:
        day = date(int(digits[4:]), int(digits[2:4]), int(digits[:2]))
    except ValueError:
        return None, "err_date"
    if day > today or (today - day).days > max_days_back:
        return None, "err_date_range"
    return day.isoformat(), None


def field_display(f: Field, value: FieldValue, lang: str) -> str:
    """A stored answer as the official reads it on the confirmation screen."""
    i = 0 if lang == "id" else 1
    if f.kind == "choice":
        for opt in f.options:
            if opt.key == value:
                return opt.label[i]
    if f.kind == "int" and isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if f.kind == "date" and isinstance(value, str) and len(value) == 10:
        return f"{value[8:10]}-{value[5:7]}-{value[:4]}"
    return str(value)
