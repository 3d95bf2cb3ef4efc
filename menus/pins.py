"""PIN rules, shared by USSD and SMS: 4-6 digits, not trivially guessable."""

from __future__ import annotations

COMMON = frozenset({"1212", "6969", "2580", "0852", "1004", "2000", "4444", "112233", "121212", "696969"})


def pin_problem(pin: str) -> str | None:
    """None when acceptable; else a text key: "pin_format" or "pin_trivial"."""
    if not (pin.isdigit() and 4 <= len(pin) <= 6):
        return "pin_format"
    if is_trivial(pin):
        return "pin_trivial"
    return None


def is_trivial(pin: str) -> bool:
    """All one digit, a straight run up or down (1234, 987654), or a well-known PIN."""
    digits = [int(ch) for ch in pin]
    steps = {(b - a) % 10 for a, b in zip(digits, digits[1:], strict=False)}
    return len(steps) == 1 and steps <= {0, 1, 9} or pin in COMMON
