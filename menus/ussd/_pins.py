"""Stand-in for the foundation's menus.pins until it lands on main (removed at merge)."""

from __future__ import annotations


def pin_problem(pin: str) -> str | None:
    if not (pin.isdigit() and 4 <= len(pin) <= 6):
        return "pin_format"
    if len(set(pin)) == 1 or pin in "0123456789" or pin in "9876543210":
        return "pin_trivial"
    return None
