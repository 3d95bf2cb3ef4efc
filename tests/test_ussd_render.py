"""Pagination of awkward texts: every page fits, nothing is lost, and it always terminates."""

from __future__ import annotations

import pytest

from menus.ussd.render import page, screen_length

# (text, a character the screen's own chrome never uses, to count what got through)
AWKWARD = [
    ("Info pendaftaran:\n https://" + "x" * 150, "x"),  # newline, then an early space: used to loop forever
    ("\n" * 400 + "qqqq", "q"),
    (" " * 300 + "qqqq", "q"),
    ("q" * 1000, "q"),
    ("qzq " * 200, "q"),
    ("\n \n \n" * 100 + "qqqq", "q"),
    ("{[]}" * 120, "{"),  # extension characters take two septets each
]


@pytest.mark.parametrize(("text", "marker"), AWKWARD)
def test_awkward_text_paginates_within_the_limit_and_keeps_every_letter(text: str, marker: str) -> None:
    pages = []
    for n in range(200):
        screen = page("Info", [text], n, 160)
        assert screen_length(screen.text) <= 160
        pages.append(screen.text)
        if n >= screen.pages - 1:
            break
    else:
        pytest.fail("more than 200 pages")
    assert sum(p.count(marker) for p in pages) == text.count(marker)
