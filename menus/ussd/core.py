"""The screen registry and the moves every screen shares: go to a screen, re-prompt, end."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from menus.ussd import render
from menus.ussd.state import Ctx, Effect, FetchAnnouncements, Outcome, State
from menus.ussd.texts import t

MAX_STRIKES = 3

# render(state, ctx, notice, data) -> Screen; data is what `needs` fetched (else None).
Renderer = Callable[[State, Ctx, str, Any], render.Screen]
# handle(state, input, ctx, data) -> Outcome
Handler = Callable[[State, str, Ctx, Any], Outcome]
BackHandler = Callable[[State, Ctx], Outcome]


@dataclass(frozen=True)
class ScreenDef:
    """A screen: how it renders, how it handles an input, and what `0` does there."""

    name: str
    render: Renderer
    handle: Handler
    on_back: BackHandler | None = None
    needs_announcements: bool = False


SCREENS: dict[str, ScreenDef] = {}


def screen(
    name: str, *, on_back: BackHandler | None = None, needs_announcements: bool = False
) -> Callable[[Renderer], Callable[[Handler], Handler]]:
    """Register a screen: decorate the renderer, then the handler it returns decorates."""

    def with_render(r: Renderer) -> Callable[[Handler], Handler]:
        def with_handle(h: Handler) -> Handler:
            SCREENS[name] = ScreenDef(name, r, h, on_back, needs_announcements)
            return h

        return with_handle

    return with_render


def show(state: State, ctx: Ctx, notice: str = "", data: Any = None, **extra: Any) -> Outcome:
    """Render the current screen (fetching its data first if it needs some)."""
    sd = SCREENS[state.screen]
    if sd.needs_announcements and data is None:
        return Outcome(state, awaiting=FetchAnnouncements(None), **extra)
    screen_ = sd.render(state, ctx, notice, data)
    state.pages = screen_.pages  # what the official saw decides what `98` means
    state.page = min(state.page, screen_.pages - 1)  # the render shows the last page when past it
    return Outcome(state, screen_, **extra)


def goto(
    state: State,
    name: str,
    ctx: Ctx,
    notice: str = "",
    *,
    push: bool = True,
    effects: Sequence[Effect] = (),
    data: Any = None,
) -> Outcome:
    """Move to screen `name` (remembering where we were for `0` when `push`)."""
    if push and state.screen != name:
        state.stack.append(state.screen)
        del state.stack[:-8]  # a bounded history keeps the state small
    state.screen = name
    state.page = 0
    state.strikes = 0
    return show(state, ctx, notice, data, effects=list(effects))


def home(state: State, ctx: Ctx, notice: str = "", effects: Sequence[Effect] = ()) -> Outcome:
    """Back to the main menu, forgetting the way there."""
    state.stack.clear()
    return goto(state, "main", ctx, notice, push=False, effects=effects)


def retry(state: State, ctx: Ctx, key: str, data: Any = None, **values: object) -> Outcome:
    """Re-prompt the same screen saying what is expected; the third bad answer in a row ends."""
    state.strikes += 1
    if state.strikes >= MAX_STRIKES:
        return finish(state, ctx, t("too_many", state.lang))
    return show(state, ctx, t(key, state.lang, **values), data)


def finish(state: State, ctx: Ctx, body: str, effects: Sequence[Effect] = ()) -> Outcome:
    """End the session with `body`."""
    state.screen = "ended"
    return Outcome(state, render.end(body, ctx.max_chars), effects=list(effects))


def nav_lines(state: State, *, back: bool = True, home_: bool = True) -> list[str]:
    """The `0 Kembali` / `00 Menu` lines for the current language."""
    lines = []
    if back:
        lines.append(t("nav_back", state.lang))
    if home_:
        lines.append(t("nav_home", state.lang))
    return [" ".join(lines)] if lines else []


def menu_page(
    state: State,
    ctx: Ctx,
    head: str,
    items: Sequence[str],
    notice: str = "",
    *,
    back: bool = True,
    home_: bool = True,
) -> render.Screen:
    """Render a paginated `CON` screen with the standard navigation footer."""
    return render.page(
        head,
        items,
        state.page,
        ctx.max_chars,
        nav_lines(state, back=back, home_=home_),
        t("nav_more", state.lang),
        notice=notice,
    )


def numbered(labels: Sequence[str]) -> list[str]:
    """`1 First`, `2 Second`, ...: option lines."""
    return [f"{i} {text}" for i, text in enumerate(labels, start=1)]


def choice(inp: str, n: int) -> int | None:
    """The 0-based option an input picks among `n`, or None."""
    if inp.isdigit() and 1 <= int(inp) <= n and not inp.startswith("0"):
        return int(inp) - 1
    return None
