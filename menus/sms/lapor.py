"""`LAPOR <jenis> <teks>`: the words officials use for a report type, and disaster kinds.

Report types are the back office's keys (`bencana`, `harga`, `kependudukan`, `kehadiran`).
A disaster kind (`BANJIR`, `LONGSOR`, ...) files a `bencana` report of that kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from menus.sms.router import edit_distance

FIRST_WORD = re.compile(r"^[\W_]*([A-Za-z0-9]+)[\W_]*(.*)$", re.DOTALL)

TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "bencana": ("BENCANA", "DISASTER", "DARURAT", "EMERGENCY"),
    "harga": ("HARGA", "PRICE", "PRICES", "PASAR"),
    "kependudukan": ("KEPENDUDUKAN", "PENDUDUK", "ADMINDUK", "POPULATION", "CIVIL"),
    "kehadiran": ("KEHADIRAN", "HADIR", "ABSEN", "ATTENDANCE"),
}
# Disaster kinds as officials text them -> the kind recorded (Indonesian word).
DISASTER_WORDS: dict[str, str] = {
    "BANJIR": "banjir",
    "FLOOD": "banjir",
    "LONGSOR": "longsor",
    "LANDSLIDE": "longsor",
    "KEBAKARAN": "kebakaran",
    "FIRE": "kebakaran",
    "KARHUTLA": "karhutla",
    "GEMPA": "gempa",
    "EARTHQUAKE": "gempa",
    "ANGIN": "angin_kencang",
    "PUTING": "angin_kencang",
    "STORM": "angin_kencang",
    "KEKERINGAN": "kekeringan",
    "DROUGHT": "kekeringan",
    "ABRASI": "abrasi",
    "WABAH": "wabah",
    "OUTBREAK": "wabah",
}
LISTED = "BENCANA/BANJIR/LONGSOR/KEBAKARAN, HARGA, KEPENDUDUKAN, KEHADIRAN"


@dataclass(frozen=True)
class QuickReport:
    """A parsed `LAPOR`: report type, disaster kind if any, the free text."""

    report_type: str
    kind: str | None
    text: str


def parse_lapor(rest: str) -> QuickReport | str:
    """A QuickReport, or a problem key: "lapor_usage", "lapor_no_text", "lapor_unknown_type"."""
    match = FIRST_WORD.match(rest)
    if match is None:
        return "lapor_usage"
    report_type, kind = resolve_type(match.group(1))
    text = match.group(2).strip()
    if report_type is None:
        return "lapor_unknown_type"
    if not text:
        return "lapor_no_text"
    return QuickReport(report_type=report_type, kind=kind, text=text)


def resolve_type(word: str) -> tuple[str | None, str | None]:
    """(report type, disaster kind) for a word, tolerating one typo in words of 5+ letters."""
    word = word.upper()
    for candidate in (word, *fuzzy(word)):
        if candidate in DISASTER_WORDS:
            return "bencana", DISASTER_WORDS[candidate]
        for report_type, words in TYPE_WORDS.items():
            if candidate in words:
                return report_type, None
    return None, None


def fuzzy(word: str) -> list[str]:
    """Known words one edit from `word` (only for words long enough to be safe)."""
    if len(word) < 5:
        return []
    known = [*DISASTER_WORDS, *(w for words in TYPE_WORDS.values() for w in words)]
    return [k for k in known if edit_distance(word, k) == 1]
