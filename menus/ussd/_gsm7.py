"""Stand-in for the foundation's menus.gsm7 until it lands on main (removed at merge)."""

from __future__ import annotations

_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_CHARS = set(_BASIC) | set("^{}\\[~]|€\f")
_MAP = {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."}


def is_gsm7(text: str) -> bool:
    return all(ch in _CHARS for ch in text)


def to_gsm7(text: str) -> str:
    return "".join(_MAP.get(ch, ch if ch in _CHARS else "?") for ch in text)
