"""Turn screen content into `CON `/`END ` text within the limit, paginating lists and long text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from menus.gsm7 import EXTENDED, is_gsm7, to_gsm7

_EXTENDED = frozenset(EXTENDED)  # two septets each


class ScreenError(ValueError):
    """A screen cannot be rendered within the limit or outside GSM-7: a bug in a definition."""


@dataclass(frozen=True)
class Screen:
    """A rendered screen: the whole body sent to the gateway."""

    text: str
    pages: int = 1

    @property
    def end(self) -> bool:
        """Whether this screen ends the session."""
        return self.text.startswith("END ")


def screen_length(text: str) -> int:
    """Length in GSM-7 septets (extension characters count twice)."""
    return len(text) + sum(1 for ch in text if ch in _EXTENDED)


def check(text: str, max_chars: int) -> str:
    """Return `text` if it fits `max_chars` and is GSM-7, else raise ScreenError."""
    if screen_length(text) > max_chars:
        raise ScreenError(f"screen of {screen_length(text)} > {max_chars} chars: {text[:40]!r}")
    if not is_gsm7(text):
        raise ScreenError(f"screen not GSM-7: {text[:40]!r}")
    return text


def end(body: str, max_chars: int) -> Screen:
    """A final screen; a body too long for one screen is cut at a word with `..`."""
    body = to_gsm7(body)
    room = max_chars - 4
    if screen_length(body) > room:
        body = _cut(body, room - 2) + ".."
    return Screen(check("END " + body, max_chars))


def page(
    head: str,
    items: Sequence[str],
    page_no: int,
    max_chars: int,
    nav: Sequence[str] = (),
    more: str = "98 Lanjut",
    *,
    notice: str = "",
    final: bool = False,
) -> Screen:
    """Render page `page_no` of `head`, `items` and `nav` lines; what does not fit moves on.

    An item longer than a page by itself is split at word boundaries, so long texts paginate
    instead of being cut. `notice` (an error or confirmation) goes first, on the first page too.
    Most screens are the same text for everyone (menus, prompts), so renders are memoised.
    """
    return _page(head, tuple(items), page_no, max_chars, tuple(nav), more, notice, final)


@lru_cache(maxsize=4096)
def _page(
    head: str,
    items: tuple[str, ...],
    page_no: int,
    max_chars: int,
    nav: tuple[str, ...],
    more: str,
    notice: str,
    final: bool,
) -> Screen:
    prefix = "END " if final else "CON "
    top = "\n".join(x for x in (to_gsm7(notice), to_gsm7(head)) if x)
    bottom_more = "\n".join([more, *nav])
    bottom_last = "\n".join(nav)
    fixed = screen_length(prefix) + screen_length(top) + (1 if top else 0)
    room = max_chars - fixed - screen_length(bottom_more) - 1
    if room < 10:
        raise ScreenError(f"no room for items under {head[:30]!r}")
    pages = _paginate([to_gsm7(i) for i in items], room)
    page_no = max(0, min(page_no, len(pages) - 1))
    lines = pages[page_no]
    bottom = bottom_more if page_no < len(pages) - 1 else bottom_last
    body = "\n".join(x for x in (top, "\n".join(lines), bottom) if x)
    return Screen(check(prefix + body, max_chars), pages=len(pages))


def _paginate(items: list[str], room: int) -> list[list[str]]:
    """Greedy split of lines into pages of at most `room` septets (newlines included)."""
    pages: list[list[str]] = [[]]
    used = 0
    for item in items:
        for piece in _split_long(item, room):
            need = screen_length(piece) + (1 if pages[-1] else 0)
            if pages[-1] and used + need > room:
                pages.append([])
                need = screen_length(piece)
                used = 0
            pages[-1].append(piece)
            used += need
    return pages


def _split_long(item: str, room: int) -> list[str]:
    """Split an item longer than `room` at spaces (or hard, for a very long word)."""
    out: list[str] = []
    rest = item
    while screen_length(rest) > room:
        # A cut that makes no progress (text starting with a newline or a space) would loop
        # forever; fall back to a hard cut at `room` so every pass consumes something.
        head = _cut(rest, room).rstrip() or _hard_cut(rest, room)
        out.append(head)
        rest = rest[len(head) :].lstrip(" \n")
    out.append(rest)
    return out


def _hard_cut(text: str, room: int) -> str:
    """The longest prefix of `text` within `room` septets (at least one character)."""
    used = 0
    for i, ch in enumerate(text):
        used += 2 if ch in _EXTENDED else 1
        if used > room:
            return text[: max(i, 1)]
    return text


def _cut(text: str, room: int) -> str:
    """The longest prefix of `text` within `room` septets, ending at a space if there is one."""
    end_at = 0
    used = 0
    for i, ch in enumerate(text):
        used += 2 if ch in _EXTENDED else 1
        if used > room:
            break
        end_at = i + 1
    head = text[:end_at]
    if end_at < len(text) and " " in head:
        head = head[: head.rindex(" ")]
    return head.rstrip()
