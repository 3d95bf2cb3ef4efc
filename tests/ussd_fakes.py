"""A pure stand-in for app/ussd that runs the engine's effects in memory, for transcript tests."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from menus import ussd
from menus.ussd.state import Form

NOW = datetime(2026, 8, 17, 2, 0, tzinfo=UTC)


@dataclass
class FakeBackend:
    """PIN store, lockout, draft store, filed reports and statuses, all in memory."""

    pin: str | None = "2580"
    failures: int = 0
    locked_until: datetime | None = None
    draft: Form | None = None
    filed: list[tuple[str, dict[str, Any], int]] = field(default_factory=list)
    ref: str | None = "12345671"
    statuses: dict[str, dict[str, Any]] = field(default_factory=dict)
    announcements: list[ussd.Announcement] = field(default_factory=list)
    language: str = "id"
    effects: list[ussd.Effect] = field(default_factory=list)

    def run(self, effect: ussd.Effect) -> Any:
        self.effects.append(effect)
        if isinstance(effect, ussd.CheckPin):
            if effect.pin == self.pin:
                self.failures = 0
                return ussd.PinResult(ok=True)
            self.failures += 1
            if self.failures >= 3:
                self.locked_until = NOW + timedelta(minutes=15)
                return ussd.PinResult(ok=False, locked_until=self.locked_until)
            return ussd.PinResult(ok=False, left=3 - self.failures)
        if isinstance(effect, ussd.HashPin):
            return hashlib.sha256(effect.pin.encode()).hexdigest()
        if isinstance(effect, ussd.SetPin):
            if hashlib.sha256(effect.pin.encode()).hexdigest() != effect.first_hash:
                return False
            self.pin = effect.pin
            return True
        if isinstance(effect, ussd.FileReport):
            self.filed.append((effect.report_type, effect.fields, effect.seq))
            return self.ref
        if isinstance(effect, ussd.LookupStatus):
            return self.statuses.get(effect.ref)
        if isinstance(effect, ussd.FetchAnnouncements):
            return self.announcements
        if isinstance(effect, ussd.SetLanguage):
            self.language = effect.lang
        elif isinstance(effect, ussd.SaveDraft):
            self.draft = Form(**vars(effect.form))
        elif isinstance(effect, ussd.ClearDraft):
            self.draft = None
        return None


@dataclass
class Phone:
    """One session driven through the engine with a FakeBackend."""

    backend: FakeBackend
    caller: ussd.Caller
    max_chars: int = 160
    state: ussd.State | None = None
    screens: list[str] = field(default_factory=list)

    @property
    def ctx(self) -> ussd.Ctx:
        return ussd.Ctx(self.caller, self.max_chars, NOW)

    def _settle(self, out: ussd.Outcome) -> str:
        while True:
            for effect in out.effects:
                self.backend.run(effect)
            if out.awaiting is None:
                break
            result = self.backend.run(out.awaiting)
            out = ussd.resume(out.state, out.awaiting, result, self.ctx)
        self.state = out.state
        assert out.screen is not None
        self.screens.append(out.screen.text)
        return out.screen.text

    def dial(self) -> str:
        out = ussd.start(self.ctx, draft=self.backend.draft, locked_until=self.backend.locked_until)
        return self._settle(out)

    def send(self, inp: str) -> str:
        assert self.state is not None
        state = ussd.State.from_dict(self.state.to_dict())  # as if through the session store
        return self._settle(ussd.step(state, inp, self.ctx))


CALLER = ussd.Caller("Siti Rahmawati", "356938035643809", "Kabupaten Kutai Kartanegara")
Step = tuple[str | None, str | Sequence[str]]


def play(phone: Phone, steps: Sequence[Step]) -> None:
    """Dial (input None) or send each input; check each screen.

    An expectation starting with `CON `/`END ` must begin the screen; any other text must
    appear in it (a list: each item must).
    """
    for i, (inp, expected) in enumerate(steps):
        screen = phone.dial() if inp is None else phone.send(inp)
        if isinstance(expected, str) and expected[:4] in ("CON ", "END "):
            assert screen.startswith(expected), f"step {i} ({inp!r}): {screen!r}"
        else:
            for part in [expected] if isinstance(expected, str) else expected:
                assert part in screen, f"step {i} ({inp!r}): {part!r} not in {screen!r}"


def phone(lang: str = "id", **backend: object) -> Phone:
    caller = ussd.Caller(
        CALLER.name,
        CALLER.imei,
        CALLER.regency_name,
        language=lang,
        has_pin=backend.pop("has_pin", True),  # type: ignore[arg-type]
    )
    return Phone(FakeBackend(**backend), caller)  # type: ignore[arg-type]


MAIN_ID = "CON Melek\n1 Kirim laporan\n2 Cek status\n3 Pengumuman\n4 Akun saya"
MAIN_EN = "CON Melek\n1 Send report\n2 Check status\n3 Announcements\n4 My account"
