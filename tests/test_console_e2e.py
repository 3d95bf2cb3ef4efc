"""The console end to end, in a real headless Chromium (Debian's) driven by Playwright.

One live server (werkzeug, on a free loopback port, over its own committed SQLite
database) and one browser for the whole module; each test gets a fresh browser context
(no cookies). The tests save screenshots of the main pages to docs/screenshots/.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
    pytest.skip(f"console end-to-end tests need Chromium at {CHROMIUM} (apt install chromium)", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api", reason="end-to-end console tests need playwright (pip)")

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Broadcast, Handset  # noqa: E402
from app.seed import DEMO_MSISDN  # noqa: E402
from bench.registry_data import csv_text, imei, row  # noqa: E402
from menus.gsm7 import sms_parts, to_gsm7  # noqa: E402
from tests.conftest import TEST_REDIS_URL  # noqa: E402
from tests.console_helpers import PASSWORD, make_admins  # noqa: E402
from tests.helpers import run_worker_burst  # noqa: E402

SHOTS = Path(__file__).parent.parent / "docs" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """A migrated, seeded SQLite database and the app served on a free port; (app, base URL)."""
    import redis as redis_lib
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from app.seed import seed_demo, seed_regencies

    folder = tmp_path_factory.mktemp("e2e")
    redis_lib.Redis.from_url(TEST_REDIS_URL).flushdb()
    app = create_app(
        {
            "TESTING": True,
            "MELEK_ENV": "testing",
            "DATABASE_URL": f"sqlite:///{folder / 'e2e.db'}",
            "REDIS_URL": TEST_REDIS_URL,
            "SECRET_KEY": "e2e-secret-key-0123456789",
            "PIN_PEPPER": "e2e-pepper-0123456789",
        }
    )
    with app.app_context():
        upgrade()
        seed_regencies()
        seed_demo()
        make_admins("prov", "smd")
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live: tuple[Flask, str], redis: Any) -> Iterator[Any]:
    """A fresh context (no cookies) at desktop size; `redis` empties the test Redis first."""
    context = browser.new_context(viewport=DESKTOP, locale="id-ID", accept_downloads=True)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(base + "/console/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Masuk')")
    page.wait_for_url(base + "/console/")  # the dashboard


def shot(page: Any, name: str, full_page: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def dial(base: str, phone: str, session: str) -> str:
    """One USSD hop as the gateway posts it."""
    body = urllib.parse.urlencode(
        {"sessionId": session, "serviceCode": "*818#", "phoneNumber": phone, "networkCode": "51010", "text": ""}
    ).encode()
    with urllib.request.urlopen(base + "/ussd", data=body, timeout=10) as response:  # noqa: S310 - loopback
        return str(response.read().decode())


def test_sign_in_find_a_handset_by_imei_block_it_and_the_next_dial_is_refused(
    page: Any, live: tuple[Flask, str]
) -> None:
    app, base = live
    with app.app_context():
        handset = db.session.scalar(select(Handset).where(Handset.msisdn == DEMO_MSISDN))
        assert handset is not None
        target = handset.imei
        db.session.remove()
    assert dial(base, DEMO_MSISDN, "e2e-before").startswith("CON ")
    page.goto(base + "/console/")
    assert page.url.endswith("/console/login")
    shot(page, "login")
    sign_in(page, base, "smd")
    page.click("nav >> text=Ponsel")  # from the dashboard, the start page
    page.fill("input[name=q]", target)
    page.click("button:has-text('Cari')")
    page.wait_for_url("**q=*")
    assert page.locator("tbody tr").count() == 1
    shot(page, "handsets")
    page.click(f"a:has-text('{target}')")
    page.select_option("select[name=reason]", "lost")
    page.click("#block")
    page.wait_for_selector("text=Ponsel diblokir.")
    assert "Diblokir (hilang)" in page.inner_text("#status")
    shot(page, "handset", full_page=True)
    screen = dial(base, DEMO_MSISDN, "e2e-after")
    assert screen.startswith("END ") and "diblokir" in screen


def test_import_a_csv_with_mistakes_dry_run_fix_then_import(page: Any, live: tuple[Flask, str], tmp_path: Path) -> None:
    _, base = live
    good = [row(n, regency="6472", number=None if n == 901 else "") for n in (900, 901)]
    bad = row(902, regency="6472")
    bad[0] = bad[0][:-1] + str((int(bad[0][-1]) + 1) % 10)  # a mistyped check digit
    mistakes = tmp_path / "ponsel-desember.csv"
    mistakes.write_text("\ufeff" + csv_text([*good, bad], delimiter=";"))
    sign_in(page, base, "smd")
    page.click("nav >> text=Impor CSV")
    page.set_input_files("input[type=file]", str(mistakes))
    page.click("button:has-text('Periksa berkas')")
    page.wait_for_selector("#rejected")
    assert "2 baris valid · 1 masalah" in page.inner_text("#verdict")
    assert "Digit pemeriksa IMEI salah" in page.inner_text("#rejected")
    shot(page, "import-dry-run", full_page=True)
    with page.expect_download() as download_info:
        page.click("text=Unduh baris yang ditolak (CSV)")
    rejected = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    [line] = list(csv.DictReader(io.StringIO(rejected)))
    assert "imei" in line["error"]
    fixed = tmp_path / "ponsel-desember-perbaikan.csv"
    fixed.write_text(csv_text([*good, row(902, regency="6472")]))
    page.click("text=Unggah berkas lain")
    page.set_input_files("input[type=file]", str(fixed))
    page.click("button:has-text('Periksa berkas')")
    page.wait_for_selector("#do-import")
    assert "3 baris valid · 0 masalah" in page.inner_text("#verdict")
    page.click("#do-import")
    page.wait_for_selector("#imported")
    assert "3 ponsel diimpor" in page.inner_text("#imported")
    shot(page, "import-done")
    with page.expect_download() as download_info:
        page.click("#codes")
    codes = list(csv.DictReader(io.StringIO(Path(download_info.value.path()).read_text(encoding="utf-8-sig"))))
    assert [entry["imei"] for entry in codes] == [imei(901)]


def test_send_a_broadcast_to_one_regency(page: Any, live: tuple[Flask, str]) -> None:
    app, base = live
    sign_in(page, base, "prov")
    page.click("nav >> text=Siaran")
    message = "Waspada banjir — laporkan genangan lewat *818# (menu 1) {penting}"
    page.fill("textarea[name=text]", message)
    encoding, parts = sms_parts(to_gsm7(message))
    page.wait_for_function("document.getElementById('counter').textContent.includes('karakter')")  # script attached
    counter = page.inner_text("#counter")
    assert f"{len(to_gsm7(message))} karakter · {parts} SMS ({encoding})" in counter
    page.check("input[name=regencies][value='6472']")
    page.check("input[name=urgent]")  # sent now whatever the hour (else quiet hours hold it)
    shot(page, "broadcast-compose", full_page=True)
    page.click("button:has-text('Periksa sebelum kirim')")
    page.wait_for_selector("#send")
    assert to_gsm7(message) == page.inner_text("#preview")
    shot(page, "broadcast-confirm")
    page.click("#send")
    page.wait_for_selector("#counts")
    with app.app_context():
        sent = db.session.scalar(select(Broadcast).order_by(Broadcast.id.desc()).limit(1))
        assert sent is not None and sent.regencies == "6472" and sent.created_by == "admin:prov"
        db.session.remove()
        run_worker_burst(app)  # the broadcast job, then the send jobs (the outbox gateway keeps them)
        run_worker_burst(app)
        recipients = db.session.scalar(select(Broadcast.recipients).where(Broadcast.id == sent.id))
        db.session.remove()
    assert recipients
    page.wait_for_selector(f"text={recipients} penerima", timeout=15_000)  # the counts refresh every 2 s
    shot(page, "broadcast-status")


SAMPLES = [
    "Rapat koordinasi Senin 09.00 WITA",
    "x" * 160,
    "x" * 161,
    "Kurung {kurawal} [siku] ~ ^ | € \\ " * 5,
    "“Kutipan” — ‘miring’ … • ½ °C",
    "Pulau Derawan ā ē ī ō ū Ţ ç",
    "Laporan 🙂 selesai",
    "雨 " * 40,
]


def test_the_counter_counts_as_the_server_does(page: Any, live: tuple[Flask, str]) -> None:
    _, base = live
    sign_in(page, base, "prov")
    page.goto(base + "/console/broadcasts")
    for sample in SAMPLES:
        converted = page.evaluate("s => window.melekGsm7.toGsm7(s)", sample)
        assert converted == to_gsm7(sample), sample
        assert tuple(page.evaluate("s => window.melekGsm7.smsParts(s)", sample)) == sms_parts(sample), sample
        assert tuple(page.evaluate("s => window.melekGsm7.smsParts(s)", converted)) == sms_parts(converted), sample


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_main_pages_fit_the_screen(browser: Any, live: tuple[Flask, str], redis: Any, size: str) -> None:
    """Screenshots of the main pages; no page scrolls sideways (tables scroll inside their frame)."""
    _, base = live
    viewport = DESKTOP if size == "desktop" else PHONE
    context = browser.new_context(viewport=viewport, locale="id-ID")
    tab = context.new_page()
    try:
        sign_in(tab, base, "prov")
        pages = ["handsets", "officials", "messages", "audit", "admins", "broadcasts", "import"]
        for name in pages:
            tab.goto(f"{base}/console/{name}")
            assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
            if size == "phone" and name in ("handsets", "broadcasts"):
                shot(tab, f"{name}-phone")
            elif size == "desktop" and name in ("officials", "messages", "audit", "admins"):
                shot(tab, name)
    finally:
        context.close()
