"""Kirim laporan: pick a report type, answer its fields one screen each, confirm, file."""

from __future__ import annotations

from typing import Any

from menus.answers import field_display, parse_field
from menus.reports import REPORT_TYPES, ReportType, next_field, previous_field
from menus.ussd import render
from menus.ussd.core import choice, finish, goto, menu_page, numbered, retry, screen, show
from menus.ussd.state import ClearDraft, Ctx, FileReport, Form, Outcome, SaveDraft, State
from menus.ussd.texts import label, t

TYPES: list[ReportType] = list(REPORT_TYPES.values())


def _render_types(state: State, ctx: Ctx, notice: str, data: Any) -> render.Screen:
    labels = [label(rt.label, state.lang) for rt in TYPES]
    return menu_page(state, ctx, t("report_types", state.lang), numbered(labels), notice)


@screen("report_types")(_render_types)
def handle_types(state: State, inp: str, ctx: Ctx, data: Any) -> Outcome:
    """Start the form of the chosen report type."""
    picked = choice(inp, len(TYPES))
    if picked is None:
        return retry(state, ctx, "err_choice", n=len(TYPES))
    rt = TYPES[picked]
    state.form = Form(rt.key, {}, next_field(rt, {}) or 0)
    return goto(state, "form", ctx)


def _form(state: State) -> tuple[Form, ReportType]:
    assert state.form is not None, "form screen without a form"
    return state.form, REPORT_TYPES[state.form.type]


def _render_field(state: State, ctx: Ctx, notice: str, data: Any) -> render.Screen:
    form, rt = _form(state)
    f = rt.fields[form.idx]
    prompt = label(f.prompt, state.lang)
    items: list[str] = []
    if f.kind == "choice":
        items = numbered([label(o.label, state.lang) for o in f.options])
    elif f.kind == "date":
        prompt = t("date_prompt", state.lang, label=prompt)
    return menu_page(state, ctx, prompt, items, notice)


def _field_back(state: State, ctx: Ctx) -> Outcome:
    """`0` in a form goes to the previous question, or out of the form from the first."""
    form, rt = _form(state)
    prev = previous_field(rt, form.answers, form.idx)
    if prev is None:
        state.form = None
        state.screen = state.stack.pop() if state.stack else "report_types"
        state.page = state.strikes = 0
        return show(state, ctx, effects=[ClearDraft()])
    form.idx = prev
    state.page = state.strikes = 0
    return show(state, ctx, effects=[SaveDraft(form)])


@screen("form", on_back=_field_back)(_render_field)
def handle_field(state: State, inp: str, ctx: Ctx, data: Any) -> Outcome:
    """Validate one answer; re-prompt with what is expected, or move to the next question."""
    form, rt = _form(state)
    f = rt.fields[form.idx]
    value, problem = parse_field(f, inp, ctx.today)
    if value is None:
        n = len(f.options)
        return retry(
            state,
            ctx,
            problem or "err_choice",
            n=n if n else f.max_len,
            min=_dotted(f.minimum),
            max=_dotted(f.maximum),
        )
    form.answers[f.key] = value
    # An answer can make later questions moot (births only: no count of deaths).
    for later in rt.fields[form.idx + 1 :]:
        if not later.applies(form.answers):
            form.answers.pop(later.key, None)
    nxt = next_field(rt, form.answers, form.idx)
    if nxt is None or form.confirming:
        form.confirming = True
        return goto(state, "confirm", ctx, push=False, effects=[SaveDraft(form)])
    form.idx = nxt
    state.page = state.strikes = 0
    return show(state, ctx, effects=[SaveDraft(form)])


def _dotted(number: int) -> str:
    """10000000 as Indonesians write it: 10.000.000."""
    return f"{number:,}".replace(",", ".")


def _render_confirm(state: State, ctx: Ctx, notice: str, data: Any) -> render.Screen:
    form, rt = _form(state)
    values = [field_display(f, form.answers[f.key], state.lang) for f in rt.fields if f.key in form.answers]
    head = f"{t('confirm', state.lang)} ({label(rt.label, state.lang)})"
    items = ["; ".join(values), t("confirm_opts", state.lang)]
    return menu_page(state, ctx, head, items, notice)


def _confirm_back(state: State, ctx: Ctx) -> Outcome:
    """`0` on the confirmation goes back to the last question."""
    form, rt = _form(state)
    form.confirming = False
    form.idx = previous_field(rt, form.answers, len(rt.fields)) or 0
    state.screen = "form"
    state.page = state.strikes = 0
    return show(state, ctx, effects=[SaveDraft(form)])


@screen("confirm", on_back=_confirm_back)(_render_confirm)
def handle_confirm(state: State, inp: str, ctx: Ctx, data: Any) -> Outcome:
    """`1` files the report, `2` goes through the answers again."""
    form, rt = _form(state)
    picked = choice(inp, 2)
    if picked is None:
        return retry(state, ctx, "err_choice", n=2)
    if picked == 1:
        form.confirming = False
        form.idx = next_field(rt, form.answers) or 0
        state.screen = "form"
        state.page = state.strikes = 0
        return show(state, ctx, effects=[SaveDraft(form)])
    state.seq += 1
    return Outcome(state, awaiting=FileReport(rt.key, dict(form.answers), state.seq))


def report_filed(state: State, ref: str | None, ctx: Ctx) -> Outcome:
    """Continue after FileReport: the reference, or the promise of an SMS."""
    state.form = None
    if ref:
        return finish(state, ctx, t("filed", state.lang, ref=ref), [ClearDraft()])
    return finish(state, ctx, t("filed_later", state.lang), [ClearDraft()])
