"""Stand-in for the foundation's menus.refs until it lands on main (removed at merge)."""

from __future__ import annotations

from stdnum import damm


def normalize_reference(text: str) -> str | None:
    digits = "".join(ch for ch in text if ch not in " -")
    if not digits.isdigit() or not 6 <= len(digits) <= 12 or not damm.is_valid(digits):
        return None
    return digits
