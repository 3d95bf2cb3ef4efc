"""The main menu, Cek status, Pengumuman and Akun saya."""

from __future__ import annotations

from typing import Any

from menus.refs import looks_like_reference, normalize_reference
from menus.ussd import render
from menus.ussd.core import choice, finish, goto, home, menu_page, numbered, retry, screen
from menus.ussd.state import (
    Announcement,
    Ctx,
    LookupStatus,
    Outcome,
    SetLanguage,
    State,
)
from menus.ussd.texts import t

MAIN_TARGETS = ("report_types", "status", "ann_list", "account")


def _render_main(state: State, ctx: Ctx, notice: str, data: Any) -> render.Screen:
    return menu_page(state, ctx, t("main", state.lang), [], notice, back=False, home_=False)


@screen("main")(_render_main)
def handle_main(state: State, inp: str, ctx: Ctx, data: Any) -> Outcome:
    """1 Kirim laporan, 2 Cek status, 3 Pengumuman, 4 Akun saya."""
    picked = choice(inp, len(MAIN_TARGETS))
    if picked is None:
        return retry(state, ctx, "err_choice", n=len(MAIN_TARGETS))
    return goto(state, MAIN_TARGETS[picked], ctx)


def _render_status(state: State, ctx: Ctx, notice: str, data: Any) -> render.Screen:
    return menu_page(state, ctx, t("status_prompt", state.lang), [], notice)


@screen("status")(_render_status)
def handle_status(state: State, inp: str, ctx: Ctx, data: Any) -> Outcome:
    """A reference number with a valid check digit starts the lookup; a typo re-prompts."""
    ref = normalize_reference(inp)
    if ref is None:  # a typo (the check digit caught it), or not a reference at all
        return retry(state, ctx, "err_ref" if looks_like_reference(inp) else "err_ref_format")
    state.seq += 1
    return Outcome(state, awaiting=LookupStatus(ref, state.seq, state.lang))


def status_found(state: State, ref: str, result: dict[str, Any] | None, ctx: Ctx) -> Outcome:
    """Continue after LookupStatus: the answer, not found, or the promise of an SMS."""
    if result is None:
        return finish(state, ctx, t("status_later", state.lang, ref=ref))
    if not result.get("found"):
        return finish(state, ctx, t("status_missing", state.lang, ref=ref))
    body = t(
        "status_found",
        state.lang,
        ref=ref,
        status=result.get("status", ""),
        summary=result.get("summary", ""),
    )
    return finish(state, ctx, body)


def _anns(data: Any) -> list[Announcement]:
    return list(data or [])


def _render_ann_list(state: State, ctx: Ctx, notice: str, data: Any) -> render.Screen:
    anns = _anns(data)
    if not anns:
        return menu_page(state, ctx, t("ann_none", state.lang), [], notice)
    items = numbered([f"{a.title} ({a.published})" if a.published else a.title for a in anns])
    return menu_page(state, ctx, t("ann_title", state.lang), items, notice)


@screen("ann_list", needs_announcements=True)(_render_ann_list)
def handle_ann_list(state: State, inp: str, ctx: Ctx, data: Any) -> Outcome:
    """Open the chosen announcement."""
    anns = _anns(data)
    picked = choice(inp, len(anns))
    if picked is None:
        return retry(state, ctx, "err_choice", data, n=max(1, len(anns)))
    state.item = picked
    return goto(state, "ann_read", ctx, data=data)


def _render_ann_read(state: State, ctx: Ctx, notice: str, data: Any) -> render.Screen:
    anns = _anns(data)
    if not 0 <= state.item < len(anns):
        return _render_ann_list(state, ctx, notice, data)
    ann = anns[state.item]
    return menu_page(state, ctx, ann.title, [ann.body], notice)


@screen("ann_read", needs_announcements=True)(_render_ann_read)
def handle_ann_read(state: State, inp: str, ctx: Ctx, data: Any) -> Outcome:
    """Only navigation makes sense while reading: 98, 0, 00."""
    return retry(state, ctx, "nav_hint", data)


def _render_account(state: State, ctx: Ctx, notice: str, data: Any) -> render.Screen:
    return menu_page(state, ctx, t("account", state.lang), [], notice)


@screen("account")(_render_account)
def handle_account(state: State, inp: str, ctx: Ctx, data: Any) -> Outcome:
    """1 Ganti PIN, 2 Ganti bahasa, 3 Info akun."""
    picked = choice(inp, 3)
    if picked is None:
        return retry(state, ctx, "err_choice", n=3)
    return goto(state, ("pin_old", "language", "info")[picked], ctx)


def _render_language(state: State, ctx: Ctx, notice: str, data: Any) -> render.Screen:
    return menu_page(state, ctx, t("language", state.lang), [], notice)


@screen("language")(_render_language)
def handle_language(state: State, inp: str, ctx: Ctx, data: Any) -> Outcome:
    """Switch the official's language; the next screens speak it."""
    picked = choice(inp, 2)
    if picked is None:
        return retry(state, ctx, "err_choice", n=2)
    state.lang = ("id", "en")[picked]
    return home(state, ctx, t("language_set", state.lang), [SetLanguage(state.lang)])


def masked_imei(imei: str) -> str:
    """An IMEI showing only its last four digits."""
    return "*" * max(0, len(imei) - 4) + imei[-4:]


def _render_info(state: State, ctx: Ctx, notice: str, data: Any) -> render.Screen:
    c = ctx.caller
    items = [c.name, c.regency_name, f"IMEI: {masked_imei(c.imei)}"]
    return menu_page(state, ctx, "", items, notice)


@screen("info")(_render_info)
def handle_info(state: State, inp: str, ctx: Ctx, data: Any) -> Outcome:
    """Only navigation here."""
    return retry(state, ctx, "nav_hint")
