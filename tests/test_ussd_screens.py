"""Walk every screen of every menu in both languages with long real-world values.

A breadth-first search feeds each reachable state every kind of input (each option number,
navigation, bad input, the longest free texts, dates, big numbers) and fails on any screen
over the limit or outside GSM-7.
"""

from __future__ import annotations

import json
from collections import deque
from datetime import timedelta

import pytest

from menus import ussd
from menus.reports import REPORT_TYPES
from menus.ussd.core import SCREENS
from menus.ussd.render import check, screen_length
from menus.ussd.state import Form
from tests.ussd_fakes import NOW, FakeBackend

LONG_NAME = "Andi Muhammad Rizky Pratama Wijayakusuma Hadiningrat, S.Sos., M.Si."
LONG_REGENCY = "Kabupaten Penajam Paser Utara"
LONG_TEXT = "Desa Sungai Merdeka Kecamatan Samboja, RT 05 dekat jembatan lama"[:60]
BODY = (
    "Kepada seluruh kepala desa dan lurah se-Kalimantan Timur: dalam rangka kesiapsiagaan "
    "menghadapi musim hujan, mohon laporkan setiap kejadian banjir, tanah longsor dan "
    "kebakaran melalui *818# pilihan 1 paling lambat 1x24 jam. Sertakan jumlah warga "
    "terdampak dan lokasi (kecamatan/desa). Terima kasih atas kerja sama Bapak/Ibu. "
) * 3
ANNOUNCEMENTS = [
    ussd.Announcement(f"Pengumuman penting nomor {i} dari Diskominfo Provinsi", BODY, "17-08-2026") for i in range(4)
]
INPUTS = [str(i) for i in range(1, 13)] + ["0", "00", "98", "x", "2580", "1357", "4827"]
INPUTS += [LONG_TEXT, "17082026", "1000000", "12345671", "99999999", "*"]
STATUSES = {
    "12345671": {"found": True, "status": "diproses", "summary": "x" * 200},
}


class WalkBackend(FakeBackend):
    """Accept the right PIN always, so the walk never locks itself out."""

    def run(self, effect: ussd.Effect) -> object:
        if isinstance(effect, ussd.CheckPin):
            return ussd.PinResult(ok=effect.pin == "2580", left=2)
        return super().run(effect)


def walk_key(state: ussd.State) -> str:
    """States that render alike: answers count by which questions they fill, not their values.

    The worst-case values are walked separately in test_confirmation_with_longest_answers_fits.
    """
    data = state.to_dict()
    data["stack"] = state.stack[-1:]
    data["seq"] = 0
    data["pin1"] = state.pin1 is None
    data["item"] = state.item if state.screen == "ann_read" else 0
    if data["form"]:
        data["form"]["answers"] = sorted(data["form"]["answers"])
    return json.dumps(data, sort_keys=True)


def settle(backend: FakeBackend, out: ussd.Outcome, ctx: ussd.Ctx) -> ussd.Outcome:
    while out.awaiting is not None:
        out = ussd.resume(out.state, out.awaiting, backend.run(out.awaiting), ctx)
    return out


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_screen_fits_and_is_gsm7(lang: str) -> None:
    backend = WalkBackend(announcements=ANNOUNCEMENTS, statuses=STATUSES)
    seen_screens: set[str] = set()
    seen_states: set[str] = set()
    names: set[str] = set()
    queue: deque[ussd.State] = deque()
    for has_pin in (True, False):
        caller = ussd.Caller(LONG_NAME, "356938035643809", LONG_REGENCY, lang, has_pin)
        ctx = ussd.Ctx(caller, 160, NOW)
        for draft in (None, Form("kependudukan", {"desa": LONG_TEXT}, 1)):
            out = settle(backend, ussd.start(ctx, draft=draft), ctx)
            assert out.screen is not None
            seen_screens.add(out.screen.text)
            queue.append(out.state)
        locked = ussd.start(ctx, locked_until=NOW + timedelta(minutes=15)).screen
        assert locked is not None
        seen_screens.add(locked.text)
    ctx = ussd.Ctx(ussd.Caller(LONG_NAME, "356938035643809", LONG_REGENCY, lang), 160, NOW)
    while queue and len(seen_states) < 30_000:
        state = queue.popleft()
        key = walk_key(state)
        if key in seen_states or state.screen == "ended":
            continue
        seen_states.add(key)
        names.add(state.screen)
        stored = json.dumps(state.to_dict())
        for inp in INPUTS:
            copy = ussd.State.from_dict(json.loads(stored))
            out = settle(backend, ussd.step(copy, inp, ctx), ctx)
            assert out.screen is not None
            seen_screens.add(out.screen.text)
            queue.append(out.state)
    for text in seen_screens:
        check(text, 160)  # raises on a screen over 160 or outside GSM-7
        assert screen_length(text) <= 160
    expected = {"pin", "pin_new", "pin_again", "pin_old", "resume", "main", "report_types"}
    expected |= {"form", "confirm", "status", "ann_list", "ann_read", "account", "language"}
    expected |= {"info"}
    assert expected <= names
    for rt in REPORT_TYPES.values():
        for f in rt.fields:
            assert any(f.prompt[0 if lang == "id" else 1] in s for s in seen_screens), f.key
    assert any(s.startswith("END ") for s in seen_screens)
    assert len(seen_screens) > 200


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("report_type", sorted(REPORT_TYPES))
def test_confirmation_with_longest_answers_fits(lang: str, report_type: str) -> None:
    rt = REPORT_TYPES[report_type]
    i = 0 if lang == "id" else 1
    answers: dict[str, str | int] = {}
    for f in rt.fields:
        if f.kind == "choice":
            answers[f.key] = max(f.options, key=lambda o: len(o.label[i])).key
        elif f.kind == "int":
            answers[f.key] = f.maximum
        elif f.kind == "date":
            answers[f.key] = NOW.date().isoformat()
        else:
            answers[f.key] = ("Kecamatan Sungai Kunjang " * 5)[: f.max_len]
    state = ussd.State(lang=lang, screen="confirm", authed=True, stack=["main", "report_types"])
    state.form = Form(report_type, answers, len(rt.fields) - 1, confirming=True)
    ctx = ussd.Ctx(ussd.Caller(LONG_NAME, "356938035643809", LONG_REGENCY, lang), 160, NOW)
    confirm = SCREENS["confirm"]
    pages = confirm.render(state, ctx, "", None).pages
    texts = []
    for page in range(pages):
        state.page = page
        texts.append(check(confirm.render(state, ctx, "", None).text, 160))
    shown = " ".join(" ".join(t.split("\n")[1:-1]) for t in texts).replace(".", "")
    for f in rt.fields:
        value = answers[f.key]
        if f.kind == "text":
            assert " ".join(str(value).split()) in " ".join(shown.split())
        elif f.kind == "int":
            assert str(value) in shown
