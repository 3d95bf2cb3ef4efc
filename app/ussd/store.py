"""USSD session records in Redis: engine state, a keyed hash of the last `text`, the last screen.

The gateway repeats every earlier input (the PIN included) in `text`, so the text itself is
never stored: its keyed hash and length are enough to tell a repeat from a new input and to
find what the new `text` adds.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from flask import current_app

SESSION_TTL = 240  # a little over the network's 180 s session life
ENDED_TTL = 60  # an ended session still answers a repeated last hop
DRAFT_TTL = 1800  # a dropped form can be resumed for 30 minutes
PREFIX = "melek:ussd:"


def session_key(session_id: str) -> str:
    return f"{PREFIX}s:{session_id[:100]}"


def draft_key(msisdn: str) -> str:
    """The dropped form of the handset on this number (read with the first hop's MGET)."""
    return f"{PREFIX}draft:{msisdn}"


def text_digest(session_id: str, text: str) -> str:
    """Keyed hash of a session's `text`: without SECRET_KEY it cannot be brute-forced for the PIN."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{session_id}\x00{text}".encode(), hashlib.sha256).hexdigest()[:32]


@dataclass
class SessionRecord:
    """What a session keeps between hops."""

    state: dict[str, Any]
    msisdn: str
    digest: str  # keyed hash of the previous hop's text
    length: int  # length of the previous hop's text
    screen: str  # the previous hop's answer, for repeats

    @property
    def ended(self) -> bool:
        """The previous hop answered END: only an identical repeat of it may use this record."""
        return self.screen.startswith("END ")

    def dumps(self) -> str:
        return json.dumps(
            {"s": self.state, "m": self.msisdn, "h": self.digest, "n": self.length, "r": self.screen},
            separators=(",", ":"),
        )

    @classmethod
    def loads(cls, raw: bytes | str) -> SessionRecord:
        d = json.loads(raw)
        return cls(d["s"], d["m"], d["h"], d["n"], d["r"])


def newest_input(record: SessionRecord, session_id: str, text: str) -> str | None:
    """What `text` adds to the previous hop's text; "" never; None if it does not extend it."""
    n = record.length
    if len(text) <= n or not hmac.compare_digest(text_digest(session_id, text[:n]), record.digest):
        return None
    if n == 0:
        return text
    return text[n + 1 :] if text[n] == "*" else None


def is_repeat(record: SessionRecord, session_id: str, text: str) -> bool:
    """True when `text` equals the previous hop's text (the gateway asked again)."""
    return len(text) == record.length and hmac.compare_digest(text_digest(session_id, text), record.digest)
