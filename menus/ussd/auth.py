"""PIN entry, PIN creation (entered twice) and the offer to resume a dropped draft."""

from __future__ import annotations

from typing import Any

from menus.pins import pin_problem
from menus.reports import REPORT_TYPES
from menus.ussd import render
from menus.ussd.core import choice, finish, goto, home, menu_page, retry, screen, show
from menus.ussd.state import (
    CheckPin,
    ClearDraft,
    Ctx,
    HashPin,
    Outcome,
    PinResult,
    SetPin,
    State,
)
from menus.ussd.texts import format_until, label, t


def _prompt(state: State, ctx: Ctx, notice: str, key: str) -> render.Screen:
    # Before the PIN there is nowhere to go back to; after it (changing the PIN) there is.
    return menu_page(state, ctx, t(key, state.lang), [], notice, home_=state.authed, back=state.authed)


def _looks_like_pin(inp: str) -> bool:
    return inp.isdigit() and 4 <= len(inp) <= 6


def _render_pin(state: State, ctx: Ctx, notice: str, data: Any) -> render.Screen:
    return _prompt(state, ctx, notice, "pin_enter")


@screen("pin")(_render_pin)
def handle_pin(state: State, inp: str, ctx: Ctx, data: Any) -> Outcome:
    """The session's first PIN entry."""
    if not _looks_like_pin(inp):
        return retry(state, ctx, "pin_format")
    return Outcome(state, awaiting=CheckPin(inp))


def _render_pin_old(state: State, ctx: Ctx, notice: str, data: Any) -> render.Screen:
    return _prompt(state, ctx, notice, "pin_old")


@screen("pin_old")(_render_pin_old)
def handle_pin_old(state: State, inp: str, ctx: Ctx, data: Any) -> Outcome:
    """The current PIN, before changing it."""
    return handle_pin(state, inp, ctx, data)


def pin_checked(state: State, result: PinResult, ctx: Ctx) -> Outcome:
    """Continue after CheckPin: in, or re-prompt with tries left, or locked out."""
    if result.locked_until is not None:
        return finish(state, ctx, t("locked", state.lang, until=format_until(result.locked_until)))
    if not result.ok:
        state.strikes = 0  # the lockout counts wrong PINs, not the three-strikes rule
        return show(state, ctx, t("pin_wrong", state.lang, left=result.left))
    if state.screen == "pin_old":
        return goto(state, "pin_new", ctx, push=False)
    state.authed = True
    return after_login(state, ctx)


def after_login(state: State, ctx: Ctx, notice: str = "") -> Outcome:
    """Offer to resume a draft if there is one, else the main menu."""
    if state.form is not None:
        return goto(state, "resume", ctx, notice, push=False)
    return home(state, ctx, notice)


def _render_pin_new(state: State, ctx: Ctx, notice: str, data: Any) -> render.Screen:
    return _prompt(state, ctx, notice, "pin_new")


@screen("pin_new")(_render_pin_new)
def handle_pin_new(state: State, inp: str, ctx: Ctx, data: Any) -> Outcome:
    """First entry of a new PIN: checked against the rules, then kept only as a keyed hash."""
    problem = pin_problem(inp)
    if problem is not None:
        return retry(state, ctx, problem)
    return Outcome(state, awaiting=HashPin(inp))


def pin_hashed(state: State, first_hash: str, ctx: Ctx) -> Outcome:
    """Continue after HashPin: ask for the PIN again."""
    state.pin1 = first_hash
    return goto(state, "pin_again", ctx, push=False)


def _render_pin_again(state: State, ctx: Ctx, notice: str, data: Any) -> render.Screen:
    return _prompt(state, ctx, notice, "pin_again")


@screen("pin_again")(_render_pin_again)
def handle_pin_again(state: State, inp: str, ctx: Ctx, data: Any) -> Outcome:
    """Second entry of a new PIN."""
    if not _looks_like_pin(inp) or state.pin1 is None:
        state.pin1 = None
        return goto(state, "pin_new", ctx, t("pin_mismatch", state.lang), push=False)
    return Outcome(state, awaiting=SetPin(inp, state.pin1))


def pin_set(state: State, saved: bool, ctx: Ctx) -> Outcome:
    """Continue after SetPin: saved, or start the new PIN again."""
    state.pin1 = None
    if not saved:
        return goto(state, "pin_new", ctx, t("pin_mismatch", state.lang), push=False)
    if state.authed:
        return home(state, ctx, t("pin_changed", state.lang))
    state.authed = True
    return after_login(state, ctx, t("pin_saved", state.lang))


def _render_resume(state: State, ctx: Ctx, notice: str, data: Any) -> render.Screen:
    what = ""
    if state.form is not None and state.form.type in REPORT_TYPES:
        what = label(REPORT_TYPES[state.form.type].label, state.lang)
    return menu_page(state, ctx, t("resume", state.lang, what=what), [], notice, back=False)


@screen("resume")(_render_resume)
def handle_resume(state: State, inp: str, ctx: Ctx, data: Any) -> Outcome:
    """`1 Lanjutkan` continues the dropped draft, `2 Mulai baru` forgets it."""
    picked = choice(inp, 2)
    if picked is None:
        return retry(state, ctx, "err_choice", n=2)
    if picked == 1 or state.form is None:
        state.form = None
        return home(state, ctx, effects=[ClearDraft()])
    state.stack = ["main", "report_types"]
    return goto(state, "confirm" if state.form.confirming else "form", ctx, push=False)
