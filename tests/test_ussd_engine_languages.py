"""Every menu path once per language, with the expected screens taken from the texts themselves."""

from __future__ import annotations

import pytest

from menus import ussd
from menus.reports import REPORT_TYPES
from menus.ussd.texts import label, t
from tests.ussd_fakes import Step, phone, play

LANGS = ["id", "en"]
ANSWERS = {
    "bencana": ["2", "Desa Loa Janan", "35", "2"],
    "harga": ["1", "14500", "Pasar Segiri"],
    "kependudukan": ["Sukamaju", "1", "3", "2", "1"],
    "kehadiran": ["3"],
}


def head(key: str, lang: str) -> str:
    return t(key, lang).split("\n")[0]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("n", range(1, len(REPORT_TYPES) + 1))
def test_each_report_type_from_menu_to_reference(lang: str, n: int) -> None:
    rt = list(REPORT_TYPES.values())[n - 1]
    steps: list[Step] = [(None, head("pin_enter", lang)), ("2580", t("main", lang))]
    steps += [("1", [t("report_types", lang), label(rt.label, lang)])]
    steps += [(str(n), label(rt.fields[0].prompt, lang))]
    steps += [(answer, "") for answer in ANSWERS[rt.key]]
    p = phone(lang)
    play(p, steps)
    assert p.screens[-1].startswith("CON " + t("confirm", lang)), p.screens[-1]
    play(p, [("1", "END " + t("filed", lang, ref="12345671"))])
    assert p.backend.filed[0][0] == rt.key


@pytest.mark.parametrize("lang", LANGS)
def test_status_announcements_and_account_paths(lang: str) -> None:
    anns = [ussd.Announcement("Rapat", "Isi " * 80, "17-08-2026")]
    statuses = {"12345671": {"found": True, "status": "diproses", "summary": "Harga: beras"}}
    p = phone(lang, announcements=anns, statuses=statuses)
    steps: list[Step] = [(None, ""), ("2580", t("main", lang))]
    steps += [("3", [t("ann_title", lang), "1 Rapat"]), ("1", t("nav_more", lang)), ("98", "Isi")]
    steps += [("0", t("ann_title", lang)), ("0", t("main", lang))]
    steps += [("4", t("account", lang)), ("3", "IMEI: ***********3809"), ("0", t("account", lang))]
    steps += [("1", t("pin_old", lang)), ("2580", t("pin_new", lang)), ("1357", t("pin_again", lang))]
    steps += [("1357", [t("pin_changed", lang), t("main", lang)])]
    steps += [("2", t("status_prompt", lang)), ("12345670", t("err_ref", lang))]
    steps += [("12345671", "END " + t("status_found", lang, ref="12345671", status="diproses", summary="")[:20])]
    play(p, steps)


@pytest.mark.parametrize("lang", LANGS)
def test_navigation_and_bad_input_in_each_language(lang: str) -> None:
    p = phone(lang)
    steps: list[Step] = [(None, ""), ("2580", t("main", lang)), ("9", t("err_choice", lang, n=4))]
    steps += [("1", t("report_types", lang)), ("2", "8 ")]
    play(p, steps)
    # Page through the 12 commodities until the engine says there is no more (each label shown once).
    shown = p.screens[-1]
    for _ in range(3):
        screen = p.send("98")
        if screen.startswith("CON " + t("no_more", lang)):
            break
        shown += screen
    assert all(f"{i} " in shown for i in range(1, 13))
    steps = [("0", t("report_types", lang)), ("00", t("main", lang)), ("4", ""), ("2", t("language", lang))]
    other = "en" if lang == "id" else "id"
    steps += [("2" if lang == "id" else "1", [t("language_set", other), t("main", other)])]
    play(p, steps)
    assert p.backend.language == other
