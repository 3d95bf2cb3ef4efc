"""The SMS command table and a tolerant parser: case, spaces and punctuation do not matter.

`Status:12345678`, `cek  12345678` and `STATUS 1234-5678` all parse to the `status`
command; a keyword one or two typos away from a known word is a near miss to suggest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    """One command: its name (the handler's key) and the words that call it, id first."""

    name: str
    words: tuple[str, ...]
    english: tuple[str, ...] = ()


COMMANDS: tuple[Command, ...] = (
    Command("status", ("STATUS", "CEK"), english=("CHECK",)),
    Command("lapor", ("LAPOR", "LAPORAN"), english=("REPORT",)),
    Command("info", ("INFO", "BANTUAN", "MENU"), english=("HELP",)),
    Command("pin", ("PIN",)),
    Command("aktif", ("AKTIF", "AKTIFKAN"), english=("ACTIVATE",)),
    Command("ok", ("OK", "TERIMA"), english=("ACK",)),
)
WORDS = {word: command for command in COMMANDS for word in command.words + command.english}
ENGLISH_WORDS = frozenset(word for command in COMMANDS for word in command.english)
KEYWORD = re.compile(r"^[\W_]*([A-Za-z]+)[\W_]*(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Parsed:
    """What a message asks for: a command and the text after its keyword, or a suggestion."""

    command: str | None
    rest: str = ""
    word: str = ""
    suggestion: str | None = None

    @property
    def english(self) -> bool:
        """The sender used an English keyword (a hint for the reply language)."""
        return self.word in ENGLISH_WORDS


def parse(text: str) -> Parsed:
    """The command in `text`, or a near-miss suggestion, or neither."""
    match = KEYWORD.match(text.strip())
    if match is None:
        return Parsed(command=None)
    word, rest = match.group(1).upper(), match.group(2).strip()
    command = WORDS.get(word)
    if command is not None:
        return Parsed(command=command.name, rest=rest, word=word)
    return Parsed(command=None, rest=rest, word=word, suggestion=near_miss(word))


def near_miss(word: str) -> str | None:
    """The known word closest to `word` if it is a likely typo (1 edit, 2 for long words)."""
    if not 3 <= len(word) <= 12:  # edit distance is quadratic: a 50,000-letter "word" costs seconds
        return None
    allowed = 1 if len(word) <= 5 else 2
    best = min(WORDS, key=lambda known: (edit_distance(word, known), known))
    return best if edit_distance(word, best) <= allowed else None


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein (optimal string alignment): swapped letters count as one typo."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


def tokens(rest: str) -> list[str]:
    """Words and numbers in the text after a keyword, punctuation dropped."""
    return re.findall(r"[A-Za-z0-9]+", rest)


SECRET_COMMANDS = {"pin": "PIN **** ****", "aktif": "AKTIF {imei} ******"}


def redact(text: str) -> str:
    """The message as it may be kept: PINs and activation codes replaced by stars.

    Near misses count too (`PN 1234 5678` is a PIN command to its sender), and a message
    with no command keeps no run of 4-8 digits (`P1N 1234 5678`, a PIN sent alone).
    """
    parsed = parse(text)
    name = parsed.command or (WORDS[parsed.suggestion].name if parsed.suggestion else None)
    if name in SECRET_COMMANDS:
        words = tokens(parsed.rest)
        kept = SECRET_COMMANDS[name].format(imei=words[0] if words and len(words[0]) == 15 else "")
        return " ".join(kept.split())
    if parsed.command is None:
        return PIN_LIKE.sub(lambda digits: "*" * len(digits.group()), text)
    return text


PIN_LIKE = re.compile(r"(?<!\d)\d{4,8}(?!\d)")
