"""`LAPOR <jenis> <teks>`: the words officials use for a report type, and what they imply.

The report types and their SMS words come from the shared definitions in `menus.reports`
(USSD forms, SMS and the back office use the same ones). A disaster kind (`BANJIR`) files a
`bencana` report with that kind; a few more kinds officials write (`GEMPA`) file one of kind
`lainnya` with the word kept in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from menus.reports import REPORT_TYPES, FieldValue
from menus.sms.router import edit_distance

FIRST_WORD = re.compile(r"^[\W_]*([A-Za-z0-9]+)[\W_]*(.*)$", re.DOTALL)
LISTED = "BENCANA/BANJIR/LONGSOR/KEBAKARAN, HARGA, KEPENDUDUKAN/LAHIR, KEHADIRAN/SAKIT"


@dataclass(frozen=True)
class Meaning:
    """What a word names: a report type, the answers it implies, where the text goes."""

    report_type: str
    implied: tuple[tuple[str, FieldValue], ...] = ()
    text_field: str = "keterangan"
    keep_word: bool = False  # the word says more than the implied answers (GEMPA -> lainnya)


def shared_words() -> dict[str, Meaning]:
    """Every type key and SMS alias of the shared definitions, upper-cased."""
    words: dict[str, Meaning] = {}
    for rt in REPORT_TYPES.values():
        words[rt.key.upper()] = Meaning(rt.key, text_field=rt.text_field)
        for alias, implied in rt.aliases.items():
            words[alias.upper()] = Meaning(rt.key, tuple(implied.items()), rt.text_field)
    return words


EXTRA_DISASTERS = ("GEMPA", "EARTHQUAKE", "KARHUTLA", "ANGIN", "PUTING", "STORM", "KEKERINGAN", "ABRASI", "WABAH")
WORDS: dict[str, Meaning] = shared_words() | {
    word: Meaning("bencana", (("jenis", "lainnya"),), keep_word=True) for word in EXTRA_DISASTERS
}


@dataclass(frozen=True)
class QuickReport:
    """A parsed `LAPOR`: report type and the fields to file (implied answers plus the text)."""

    report_type: str
    fields: dict[str, FieldValue]


def parse_lapor(rest: str) -> QuickReport | str:
    """A QuickReport, or a problem key: "lapor_usage", "lapor_no_text", "lapor_unknown_type"."""
    match = FIRST_WORD.match(rest)
    if match is None:
        return "lapor_usage"
    word, text = match.group(1).upper(), match.group(2).strip()
    meaning = resolve(word)
    if meaning is None:
        return "lapor_unknown_type"
    if not text:
        return "lapor_no_text"
    if meaning.keep_word:
        text = f"{word.lower()}: {text}"
    return QuickReport(meaning.report_type, dict(meaning.implied) | {meaning.text_field: text[:500]})


def resolve(word: str) -> Meaning | None:
    """The meaning of a word, tolerating one typo in words of 5+ letters (if unambiguous)."""
    word = word.upper()
    if word in WORDS:
        return WORDS[word]
    if len(word) < 5:
        return None
    near = {WORDS[known] for known in WORDS if edit_distance(word, known) == 1}
    return near.pop() if len(near) == 1 else None
