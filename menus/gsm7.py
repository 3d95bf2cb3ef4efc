"""GSM 03.38 (GSM-7): what fits a USSD screen or a 160-character SMS."""

from __future__ import annotations

import unicodedata

BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENDED = "^{}\\[~]|€\f"  # each takes two septets (escape + char)
GSM7 = frozenset(BASIC) | frozenset(EXTENDED)

# Close GSM-7 equivalents for characters that would force the whole message into UCS-2.
TRANSLITERATE = {
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "«": '"',
    "»": '"',
    "–": "-",
    "—": "-",
    "‒": "-",
    "−": "-",
    "…": "...",
    "•": "*",
    "·": ".",
    "°": " derajat",
    "²": "2",
    "³": "3",
    "½": "1/2",
    "×": "x",
    "\u00a0": " ",
    "\t": " ",
    "\u200b": "",
    "á": "a",
    "â": "a",
    "ã": "a",
    "ä": "ä",
    "í": "i",
    "î": "i",
    "ï": "i",
    "ó": "o",
    "ô": "o",
    "õ": "o",
    "ú": "u",
    "û": "u",
    "ê": "e",
    "ë": "e",
    "ç": "c",
    "Á": "A",
    "Â": "A",
    "Í": "I",
    "Ó": "O",
    "Ú": "U",
    "Ê": "E",
    "È": "E",
    "Ë": "E",
    "ñ": "ñ",
    "ý": "y",
    "ÿ": "y",
}


def is_gsm7(text: str) -> bool:
    """True when every character is in the GSM-7 alphabet (basic or extension table)."""
    return all(ch in GSM7 for ch in text)


def septets(text: str) -> int:
    """Length in GSM-7 septets: extension characters count twice."""
    return sum(2 if ch in EXTENDED else 1 for ch in text)


def to_gsm7(text: str, replacement: str = "?") -> str:
    """Transliterate to GSM-7 where a close equivalent exists, else `replacement`.

    Besides the table, a letter with a mark GSM-7 lacks loses the mark (`ā` -> `a`, `Ţ` -> `T`).
    """
    out = []
    for ch in text:
        if ch in GSM7:
            out.append(ch)
        elif ch in TRANSLITERATE:
            out.append(TRANSLITERATE[ch])
        else:
            out.append(_unmarked(ch) or replacement)
    return "".join(out)


def _unmarked(ch: str) -> str:
    """The character without its combining marks, if that is GSM-7 (else "")."""
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return base if base and all(c in GSM7 for c in base) else ""


def sms_parts(text: str) -> tuple[str, int]:
    """(encoding, parts): GSM-7 160/153 septets per part, UCS-2 70/67 characters."""
    if is_gsm7(text):
        n = septets(text)
        return "GSM-7", 1 if n <= 160 else -(-n // 153)
    n = len(text.encode("utf-16-le")) // 2
    return "UCS-2", 1 if n <= 70 else -(-n // 67)
