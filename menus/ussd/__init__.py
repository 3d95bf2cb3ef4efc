"""The USSD engine and its menus: pure Python, no Flask, Redis or database."""

from __future__ import annotations

from menus.ussd.engine import restart, resume, start, step
from menus.ussd.render import Screen, ScreenError
from menus.ussd.state import (
    Announcement,
    Caller,
    CheckPin,
    ClearDraft,
    Ctx,
    Effect,
    FetchAnnouncements,
    FileReport,
    Form,
    HashPin,
    LookupStatus,
    Outcome,
    PinResult,
    SaveDraft,
    SetLanguage,
    SetPin,
    State,
)

__all__ = [
    "Announcement",
    "Caller",
    "CheckPin",
    "ClearDraft",
    "Ctx",
    "Effect",
    "FetchAnnouncements",
    "FileReport",
    "Form",
    "HashPin",
    "LookupStatus",
    "Outcome",
    "PinResult",
    "SaveDraft",
    "Screen",
    "ScreenError",
    "SetLanguage",
    "SetPin",
    "State",
    "restart",
    "resume",
    "start",
    "step",
]
