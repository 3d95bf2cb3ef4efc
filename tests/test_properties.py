"""Property-based tests (Hypothesis) of the pure parts: USSD screens, the SMS parser, references."""

from __future__ import annotations

import json
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.config import USSD_MIN_CHARS
from menus import ussd
from menus.refs import MAX_LEN, MIN_LEN, is_valid_reference, make_reference, normalize_reference
from menus.sms.router import near_miss, parse, redact, tokens
from menus.ussd.render import check
from menus.ussd.state import Form
from tests.ussd_fakes import NOW, FakeBackend

# What officials type: menu numbers, navigation, PINs, dates, references, and anything at all.
KEYPAD = st.sampled_from(["1", "2", "3", "4", "5", "9", "0", "00", "98", "99", "2580", "1357", "17082026", "12345671"])
ANY_TEXT = st.text(max_size=200)
INPUT = st.one_of(KEYPAD, KEYPAD, st.text(alphabet="0123456789*#", max_size=20), ANY_TEXT)
NAMES = st.text(min_size=1, max_size=120)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    inputs=st.lists(INPUT, max_size=25),
    lang=st.sampled_from(["id", "en"]),
    max_chars=st.integers(min_value=USSD_MIN_CHARS, max_value=182),
    has_pin=st.booleans(),
    name=NAMES,
    regency=NAMES,
    titles=st.lists(st.tuples(NAMES, st.text(max_size=600)), max_size=6),
    with_draft=st.booleans(),
    locked=st.booleans(),
)
def test_no_screen_is_over_the_limit_or_outside_gsm7(
    inputs: list[str],
    lang: str,
    max_chars: int,
    has_pin: bool,
    name: str,
    regency: str,
    titles: list[tuple[str, str]],
    with_draft: bool,
    locked: bool,
) -> None:
    announcements = [ussd.Announcement(title, body, "17-08-2026") for title, body in titles]
    backend = FakeBackend(announcements=announcements, statuses={"12345671": {"found": True, "status": "x"}})
    caller = ussd.Caller(name, "356938035643809", regency, lang, has_pin)
    ctx = ussd.Ctx(caller, max_chars, NOW)

    def settle(out: ussd.Outcome) -> ussd.Outcome:
        while out.awaiting is not None:
            out = ussd.resume(out.state, out.awaiting, backend.run(out.awaiting), ctx)
        assert out.screen is not None
        check(out.screen.text, max_chars)  # raises ScreenError over the limit or outside GSM-7
        assert out.screen.text[:4] in ("CON ", "END ")
        return out

    draft = Form("kependudukan", {"desa": "Sungai Merdeka"}, 1) if with_draft else None
    out = settle(ussd.start(ctx, draft=draft, locked_until=NOW + timedelta(minutes=15) if locked else None))
    for inp in inputs:
        if out.screen is not None and out.screen.text.startswith("END "):
            break
        state = ussd.State.from_dict(json.loads(json.dumps(out.state.to_dict())))  # through the session store
        out = settle(ussd.step(state, inp, ctx))


@settings(max_examples=2000, deadline=None)
@given(st.text(max_size=400))
def test_the_sms_parser_never_raises(text: str) -> None:
    parsed = parse(text)
    tokens(parsed.rest)
    redact(text)
    for word in text.split()[:5]:
        near_miss(word)


DIGITS = st.text(alphabet="0123456789", min_size=MIN_LEN - 1, max_size=MAX_LEN - 1)


@settings(max_examples=500, deadline=None)
@given(body=DIGITS, data=st.data())
def test_references_catch_every_single_digit_typo(body: str, data: st.DataObject) -> None:
    ref = make_reference(body)
    assert is_valid_reference(ref) and normalize_reference(f" {ref[:4]}-{ref[4:]} ") == ref
    position = data.draw(st.integers(min_value=0, max_value=len(ref) - 1))
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != ref[position]]))
    assert not is_valid_reference(ref[:position] + wrong + ref[position + 1 :])


@settings(max_examples=500, deadline=None)
@given(body=DIGITS, data=st.data())
def test_references_catch_every_swap_of_neighbouring_digits(body: str, data: st.DataObject) -> None:
    ref = make_reference(body)
    position = data.draw(st.integers(min_value=0, max_value=len(ref) - 2))
    swapped = ref[:position] + ref[position + 1] + ref[position] + ref[position + 2 :]
    if swapped != ref:  # equal neighbours: nothing was mistyped
        assert not is_valid_reference(swapped)


def test_every_single_typo_and_swap_of_one_reference_exhaustively() -> None:
    ref = make_reference("2026081")
    for position in range(len(ref)):
        for digit in "0123456789":
            typo = ref[:position] + digit + ref[position + 1 :]
            assert (typo == ref) == is_valid_reference(typo)
    for position in range(len(ref) - 1):
        swapped = ref[:position] + ref[position + 1] + ref[position] + ref[position + 2 :]
        assert (swapped == ref) == is_valid_reference(swapped)
