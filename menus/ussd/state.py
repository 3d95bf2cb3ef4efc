"""Session state, caller view, context and effects of the USSD engine (plain, JSON-able data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from menus.reports import REPORT_TYPES, FieldValue
from menus.ussd.render import Screen


@dataclass
class Form:
    """A report being filled in: its type, the answers so far and the field being asked."""

    type: str
    answers: dict[str, FieldValue] = field(default_factory=dict)
    idx: int = 0
    confirming: bool = False

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Form | None:
        """A stored form, or None if it names a report type that no longer exists."""
        if not isinstance(data, dict) or data.get("type") not in REPORT_TYPES:
            return None
        rt = REPORT_TYPES[data["type"]]
        idx = data.get("idx", 0)
        if not isinstance(idx, int) or not 0 <= idx < len(rt.fields):
            return None
        answers = data.get("answers") or {}
        return cls(data["type"], dict(answers), idx, bool(data.get("confirming")))


@dataclass
class State:
    """Everything the engine remembers between hops of one session (no PIN, no raw input)."""

    lang: str = "id"
    screen: str = "pin"
    stack: list[str] = field(default_factory=list)
    page: int = 0
    pages: int = 1  # pages of the screen last shown
    strikes: int = 0
    form: Form | None = None
    pin1: str | None = None  # keyed hash of the first entry of a new PIN, set by app/
    item: int = 0  # the announcement being read
    authed: bool = False  # PIN entered (or created) in this session
    seq: int = 0  # counter of submissions, for deterministic job ids

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict, for the session store (dataclasses.asdict is slow on the hot path)."""
        data = dict(self.__dict__)
        data["stack"] = list(self.stack)
        if self.form is not None:
            data["form"] = {**self.form.__dict__, "answers": dict(self.form.answers)}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> State:
        """Rebuild a state stored with `to_dict` (keys another version wrote are ignored)."""
        known = {k: v for k, v in data.items() if k in _STATE_FIELDS}
        known["form"] = Form.from_dict(data["form"]) if data.get("form") else None
        return cls(**known)


_STATE_FIELDS = frozenset(State.__dataclass_fields__)


@dataclass(frozen=True)
class Caller:
    """What the engine knows about the official on the phone (from the registry's cached view)."""

    name: str
    imei: str
    regency_name: str
    language: str = "id"
    has_pin: bool = True


@dataclass(frozen=True)
class Ctx:
    """Per-hop context: the caller, the screen limit and the clock (the engine reads no clock)."""

    caller: Caller
    max_chars: int = 160
    now: datetime = datetime(2026, 1, 1)

    @property
    def today(self) -> date:
        """The current date."""
        return self.now.date()


# Effects: what app/ must do for a step. Those in AWAITING need a result passed to resume().
@dataclass(frozen=True)
class CheckPin:
    """Check the PIN (with the shared lockout); result: PinResult."""

    pin: str = field(repr=False)


@dataclass(frozen=True)
class HashPin:
    """Keyed hash of a first new-PIN entry; result: the hash (str)."""

    pin: str = field(repr=False)


@dataclass(frozen=True)
class SetPin:
    """Save a new PIN if its hash equals `first_hash`; result: bool (saved)."""

    pin: str = field(repr=False)
    first_hash: str = field(repr=False)


@dataclass(frozen=True)
class FileReport:
    """Enqueue the back-office report job; result: the reference, or None if not back in time."""

    report_type: str
    fields: dict[str, FieldValue]
    seq: int


@dataclass(frozen=True)
class LookupStatus:
    """Enqueue the status lookup; result: the job's dict or None if not back in time."""

    ref: str
    seq: int
    lang: str = "id"  # the screen's language, for the status label


@dataclass(frozen=True)
class FetchAnnouncements:
    """Read the latest announcements; result: list of Announcement, newest first."""

    pending: str | None = None  # the input to handle once the list is there


@dataclass(frozen=True)
class SetLanguage:
    """Store the official's language (fire and forget)."""

    lang: str


@dataclass(frozen=True)
class SaveDraft:
    """Keep the form for resuming within 30 minutes (fire and forget)."""

    form: Form


@dataclass(frozen=True)
class ClearDraft:
    """Forget the kept form (fire and forget)."""


Effect = (
    CheckPin | HashPin | SetPin | FileReport | LookupStatus | FetchAnnouncements | SetLanguage | SaveDraft | ClearDraft
)


@dataclass(frozen=True)
class PinResult:
    """Result of CheckPin: ok, or tries left, or locked until a moment."""

    ok: bool
    left: int = 0
    locked_until: datetime | None = None


@dataclass(frozen=True)
class Announcement:
    """One announcement as shown on the phone."""

    title: str
    body: str
    published: str = ""  # DD-MM-YYYY


@dataclass
class Outcome:
    """Result of a step: the new state, a screen (or an effect to await first), and side effects."""

    state: State
    screen: Screen | None = None
    effects: list[Effect] = field(default_factory=list)
    awaiting: Effect | None = None
