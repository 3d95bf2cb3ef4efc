"""The USSD engine: start a session, take one input, continue after an awaited effect.

Pure: no Flask, Redis or database. `app/ussd` stores the State between hops, executes the
effects an Outcome lists, and for an Outcome with `awaiting` set, runs that effect and calls
`resume` with its result to get the screen.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from menus.ussd import auth, browse, forms
from menus.ussd.core import SCREENS, finish, home, show
from menus.ussd.state import (
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
    SetPin,
    State,
)
from menus.ussd.texts import format_until, t

BACK, HOME, MORE = "0", "00", "98"
LAST_PAGE = 1 << 30  # past any page: the render shows the last one, `show` keeps its number


def start(ctx: Ctx, *, draft: Form | None = None, locked_until: datetime | None = None) -> Outcome:
    """The first screen of a session: locked, create a PIN, or enter the PIN."""
    state = State(lang=ctx.caller.language if ctx.caller.language in ("id", "en") else "id")
    if locked_until is not None:
        return finish(state, ctx, t("locked", state.lang, until=format_until(locked_until)))
    state.form = draft
    state.screen = "pin" if ctx.caller.has_pin else "pin_new"
    return show(state, ctx)


def restart(state: State, ctx: Ctx) -> Outcome:
    """Start over after an input the engine cannot place (a `text` that jumped)."""
    state.stack.clear()
    state.page = state.strikes = 0
    note = t("restarted", state.lang)
    if state.authed:
        return home(state, ctx, note)
    state.screen = "pin" if ctx.caller.has_pin else "pin_new"
    state.pin1 = None
    return show(state, ctx, note)


def step(state: State, inp: str, ctx: Ctx, data: Any = None) -> Outcome:
    """Handle the newest input of the session on the current screen."""
    sd = SCREENS.get(state.screen)
    if sd is None:  # an ended session, or a state written by an older version
        state.authed = state.authed and state.screen != "ended"  # an END logs out
        return restart(state, ctx)
    inp = inp.strip()
    if sd.needs_announcements and data is None:
        return Outcome(state, awaiting=FetchAnnouncements(inp))
    if inp == MORE and state.page + 1 >= state.pages:
        # Nothing more to show is no wrong answer, on any screen (a PIN prompt too). The note
        # takes room, so the text may split into more pages: show the last of those.
        state.page = LAST_PAGE
        return show(state, ctx, t("no_more", state.lang), data)
    if state.authed and inp in (BACK, HOME, MORE):
        return _navigate(state, inp, ctx, data)
    return sd.handle(state, inp, ctx, data)


def _navigate(state: State, inp: str, ctx: Ctx, data: Any) -> Outcome:
    sd = SCREENS[state.screen]
    if inp == HOME:
        effects: list[Effect] = []
        if state.form is not None:
            state.form = None
            effects.append(ClearDraft())
        return home(state, ctx, effects=effects)
    if inp == MORE:  # step() has answered a `98` that has no next page
        state.page += 1
        return show(state, ctx, data=data)
    if sd.on_back is not None:
        return sd.on_back(state, ctx)
    if not state.stack:
        return show(state, ctx, data=data)
    state.screen = state.stack.pop()
    state.page = state.strikes = 0
    return show(state, ctx, data=data)


def resume(state: State, effect: Effect, result: Any, ctx: Ctx) -> Outcome:
    """Continue a step after `app/` ran the awaited `effect` and got `result`."""
    if isinstance(effect, CheckPin):
        assert isinstance(result, PinResult)
        return auth.pin_checked(state, result, ctx)
    if isinstance(effect, HashPin):
        return auth.pin_hashed(state, str(result), ctx)
    if isinstance(effect, SetPin):
        return auth.pin_set(state, bool(result), ctx)
    if isinstance(effect, FileReport):
        return forms.report_filed(state, result, ctx)
    if isinstance(effect, LookupStatus):
        return browse.status_found(state, effect.ref, result, ctx)
    if isinstance(effect, FetchAnnouncements):
        data = list(result or [])
        if effect.pending is None:
            return show(state, ctx, data=data)
        return step(state, effect.pending, ctx, data)
    raise TypeError(f"nothing awaits {type(effect).__name__}")
