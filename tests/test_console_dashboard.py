"""Console dashboard: figures from SQL that match the rows, tables and CSV, roles, and speed
with 14,000 handsets and a year of traffic."""

from __future__ import annotations

import csv
import io
import statistics
import time
from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models import Handset, InboundMessage, OutboundMessage, ReportRecord, UssdSessionEnd
from app.models.base import utcnow
from tests import dashboard_data
from tests.backoffice_helpers import payload
from tests.console_helpers import make_admins, signed_in
from workers.reports import file_report

YEAR = {"reports": 300, "sms_in": 300, "sms_out": 400, "ussd": 500}  # per day, over 365 days


def table_rows(page: str, name: str) -> list[list[str]]:
    """The rows of the page's numbers table `name` (cell texts)."""
    import re

    body = re.search(rf'<table class="striped" data-table="{name}">.*?<tbody>(.*?)</tbody>', page, re.S)
    assert body, name
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)]


def real_since(moment: datetime) -> tuple[Any, ...]:
    return (UssdSessionEnd.simulated.is_(False), UssdSessionEnd.ended_at >= moment)


def test_the_figures_match_the_database(seeded: Flask) -> None:
    make_admins()
    dashboard_data.handsets(per_regency=20)
    dashboard_data.traffic(utcnow(), 10, {"reports": 3, "sms_in": 4, "sms_out": 5, "ussd": 6}, numbers=280)
    db.session.add(UssdSessionEnd(session_id="sim", msisdn="+628125000000", status="Success", simulated=True))
    db.session.commit()
    page = signed_in(seeded.test_client(), "prov").get("/console/").get_data(as_text=True)
    reports = table_rows(page, "reports")
    assert sum(int(r[2]) for r in reports) == 30  # the last 30 days hold all 10 days' reports
    handsets = {r[0]: r for r in table_rows(page, "handsets")}
    assert len(handsets) == 14 and handsets["Samarinda"][1:5] == ["16", "2", "2", "20"]
    week = utcnow() - timedelta(days=7)
    numbers = set(db.session.scalars(select(UssdSessionEnd.msisdn).where(*real_since(week))))
    numbers |= set(db.session.scalars(select(InboundMessage.sender).where(InboundMessage.received_at >= week)))
    samarinda = db.session.scalars(select(Handset.msisdn).where(Handset.regency_code == "6472")).all()
    assert handsets["Samarinda"][5] == str(len(numbers & set(samarinda)))
    sms = table_rows(page, "sms")
    assert sum(int(r[1]) for r in sms) == db.session.scalar(select(func.count()).select_from(InboundMessage))
    assert sum(int(r[2]) for r in sms) == db.session.scalar(select(func.count()).select_from(OutboundMessage))
    ussd = table_rows(page, "ussd")
    day_ago = db.session.scalar(select(func.count()).where(*real_since(utcnow() - timedelta(hours=24))))
    assert sum(int(r[2]) for r in ussd) == day_ago
    durations = db.session.scalars(select(UssdSessionEnd.duration_ms).where(*real_since(week))).all()
    assert f'id="kpi-median">{statistics.median(durations) / 1000:.0f} dtk' in page
    assert page.count("<svg") == 6 and "<rect" in page


def test_csv_downloads_match_the_tables(seeded: Flask) -> None:
    make_admins("prov")
    dashboard_data.handsets(per_regency=5)
    db.session.commit()
    client = signed_in(seeded.test_client(), "prov")
    response = client.get("/console/dashboard/handsets.csv?sep=semicolon")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/csv" and body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:5] == ["kab/kota", "aktif", "menunggu aktivasi", "diblokir", "semua"] and len(rows) == 15
    assert client.get("/console/dashboard/nonsense.csv").status_code == 404


def test_a_regency_admin_sees_its_own_regency_only(demo: Flask) -> None:
    make_admins()
    file_report(payload(key="dash-1", report_type="bencana"))  # Samarinda
    page = signed_in(demo.test_client(), "bpn").get("/console/").get_data(as_text=True)
    assert [r[0] for r in table_rows(page, "handsets")] == ["Balikpapan"]
    assert table_rows(page, "incidents") == [] and table_rows(page, "reports") == []
    smd = signed_in(demo.test_client(), "smd").get("/console/").get_data(as_text=True)
    assert [r[1:] for r in table_rows(smd, "incidents")] == [["&lt; 1 jam", "1"]]


def test_the_dashboard_renders_within_half_a_second_with_a_year_of_traffic(seeded: Flask) -> None:
    """14,000 handsets; a year of 300 reports, 300 SMS in, 400 out and 500 USSD sessions a day."""
    make_admins("prov")
    now = utcnow()
    assert dashboard_data.handsets() == 14_000
    dashboard_data.traffic(now, 365, YEAR, numbers=14_000)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ReportRecord)) == 365 * 300
    client = signed_in(seeded.test_client(), "prov")
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        response = client.get("/console/")
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    print(f"dashboard with a year of traffic: {[round(t, 3) for t in timings]} s ({db.engine.dialect.name})")
    assert statistics.median(timings) < 0.5, timings
