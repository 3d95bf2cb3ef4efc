"""Console part 2 end to end in headless Chromium (the fixtures of test_console_e2e): the
Crisis Center board updating by itself, the dashboard's numbers, and the phone filing a
disaster report. Screenshots go to docs/screenshots/."""

from __future__ import annotations

import urllib.parse
import urllib.request
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models import Handset, Incident, OutboundMessage, ReportRecord
from app.models.base import utcnow
from app.seed import DEMO_MSISDN, DEMO_PIN
from tests import test_console_e2e as part1
from tests.backoffice_helpers import add_contact
from tests.helpers import run_worker_burst
from tests.sms_helpers import inbound_form
from tests.test_console_e2e import DESKTOP, PHONE, shot

# Part 1's fixtures (a live server over a seeded SQLite file, Chromium, a fresh page).
browser, live, page = part1.browser, part1.live, part1.page


def sign_in(tab: Any, base: str, username: str) -> None:
    part1.sign_in(tab, base, username)


def text_in(base: str, sender: str, text: str, gateway_id: str) -> None:
    body = urllib.parse.urlencode(inbound_form(sender, text, gateway_id)).encode()
    with urllib.request.urlopen(base + "/sms/inbound", data=body, timeout=10) as response:  # noqa: S310 - loopback
        assert response.status == 200


def to_reporter(app: Flask) -> list[str]:
    with app.app_context():
        texts = db.session.scalars(select(OutboundMessage.text).where(OutboundMessage.to == DEMO_MSISDN)).all()
        db.session.remove()
    return [t for t in texts if "Crisis Center" in t]


def test_an_incident_filed_by_sms_appears_on_the_board_and_is_acknowledged(page: Any, live: tuple[Flask, str]) -> None:
    app, base = live
    with app.app_context():
        add_contact("+6281250000001", "6472", name="Posko BPBD Samarinda")
        db.session.remove()
    sign_in(page, base, "smd")
    page.click("nav >> text=Crisis Center")
    page.evaluate("window.notReloaded = true")
    before = page.locator("#incidents tr[data-id]").count()
    text_in(base, DEMO_MSISDN, "LAPOR BANJIR air setinggi lutut di Sempaja Utara", "e2e-crisis-1")
    run_worker_burst(app)  # the SMS, then the filing job, then the alert
    run_worker_burst(app)
    with app.app_context():
        ref = db.session.scalar(select(Incident.ref).order_by(Incident.id.desc()).limit(1))
        db.session.remove()
    assert ref
    page.wait_for_selector(f"#incidents tr.fresh >> text={ref}", timeout=15_000)  # polled every 3 s
    assert page.evaluate("window.notReloaded") is True
    assert page.locator("#incidents tr[data-id]").count() == before + 1
    assert page.is_visible("#new-alert")
    shot(page, "crisis-board")
    page.click(f"a:has-text('{ref}')")
    page.click("#acknowledge")
    page.wait_for_selector("text=Insiden dikonfirmasi")
    assert "Dikonfirmasi" in page.inner_text("#state")
    shot(page, "crisis-incident", full_page=True)
    acknowledged = to_reporter(app)
    assert len(acknowledged) == 1 and ref in acknowledged[0]


def test_the_dashboard_charts_show_the_database_numbers(page: Any, live: tuple[Flask, str]) -> None:
    app, base = live
    sign_in(page, base, "prov")
    assert page.url == base + "/console/"
    with app.app_context():
        handsets = db.session.scalar(select(func.count()).select_from(Handset))
        active = db.session.scalar(select(func.count()).select_from(Handset).where(Handset.status == "active"))
        since = utcnow() - timedelta(days=30)
        reports = db.session.scalar(
            select(func.count()).select_from(ReportRecord).where(ReportRecord.created_at >= since)
        )
        db.session.remove()
    assert page.inner_text("#kpi-active") == str(active) and page.inner_text("#kpi-reports") == str(reports)
    for name in ("reports", "handsets", "used", "sms", "ussd", "incidents"):
        assert page.locator(f"svg[data-chart={name}]").is_visible(), name
    assert page.locator("svg[data-chart=handsets] rect").count() >= 1
    page.click("#chart-handsets summary")
    totals = page.eval_on_selector_all(
        "table[data-table=handsets] tbody tr", "rows => rows.map(r => +r.cells[4].innerText)"
    )
    assert sum(totals) == handsets
    shot(page, "dashboard", full_page=True)


def test_a_disaster_report_is_filed_through_the_phone_page(page: Any, live: tuple[Flask, str]) -> None:
    app, base = live
    sign_in(page, base, "smd")
    page.click("nav >> text=Simulasi HP")
    page.select_option("#msisdn", DEMO_MSISDN)
    page.click("#send")
    page.wait_for_function("document.getElementById('screen').textContent.includes('PIN')")

    def answer(value: str, expect: str, keypad: bool = True) -> None:
        if keypad:
            for key in value:
                page.click(f".keys button[data-key='{key}']")
            page.click("#send")
        else:
            page.fill("#entry", value)
            page.press("#entry", "Enter")
        page.wait_for_function(f"document.getElementById('screen').textContent.includes({expect!r})")

    answer(DEMO_PIN, "Kirim laporan")
    answer("1", "Bencana/Darurat")
    answer("1", "Jenis bencana")
    answer("1", "Kecamatan/desa")
    answer("Loa Janan", "terdampak", keypad=False)
    answer("120", "urgensi")
    answer("1", "Kirim laporan?")
    chars = page.inner_text("#chars")
    assert chars.split(" / ")[0] == str(len(page.get_attribute("#screen", "data-raw") or ""))
    shot(page, "phone")
    page.click(".keys button[data-key='1']")  # 1 = yes: the real engine files the report
    page.click("#send")
    page.wait_for_function("document.getElementById('screen').getAttribute('data-raw').startsWith('END ')")
    run_worker_burst(app)
    with app.app_context():
        record = db.session.scalar(select(ReportRecord).order_by(ReportRecord.id.desc()).limit(1))
        assert record is not None and record.report_type == "bencana" and record.fields["lokasi"] == "Loa Janan"
        db.session.remove()
    assert page.inner_text("#state") == "selesai"


def test_part2_pages_fit_the_screen(browser: Any, live: tuple[Flask, str], redis: Any) -> None:
    _, base = live
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        context = browser.new_context(viewport=viewport, locale="id-ID")
        tab = context.new_page()
        try:
            sign_in(tab, base, "prov")
            for name in ("", "crisis", "reports", "phone", "operations"):
                tab.goto(f"{base}/console/{name}")
                assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (size, name)
                if size == "desktop" and name in ("reports", "operations"):
                    shot(tab, name)
                if size == "phone" and name in ("", "crisis"):
                    shot(tab, f"{name or 'dashboard'}-phone")
            if size == "desktop":
                tab.goto(f"{base}/console/reports")
                tab.click("tbody tr a")
                tab.wait_for_selector("#answers")
                shot(tab, "report", full_page=True)
        finally:
            context.close()
