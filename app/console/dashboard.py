"""The start page: the programme at a glance. Figures from `stats` (SQL), charts from `charts`
(SVG), each with its numbers as a table and a CSV download."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import abort, render_template
from werkzeug.wrappers import Response

from app.console import bp
from app.console.charts import Chart, pivot, stacked
from app.console.csvout import csv_response
from app.console.roles import regency_names, regency_scope
from app.console.stats import AGE_BUCKETS, FIGURES, Table, all_figures
from app.models.base import utcnow
from menus.clock import WITA
from menus.reports import REPORT_TYPES

SMS_SERIES = {"masuk": "Masuk", "keluar": "Keluar", "gagal": "Gagal"}
HANDSET_SERIES = {"aktif": "Aktif", "menunggu aktivasi": "Menunggu aktivasi", "diblokir": "Diblokir"}


def last_days(days: int) -> list[str]:
    today = utcnow().astimezone(WITA).date()
    return [(today - timedelta(days=n)).isoformat() for n in range(days - 1, -1, -1)]


def last_hours(hours: int) -> list[str]:
    now = utcnow().astimezone(WITA)
    return [(now - timedelta(hours=n)).strftime("%Y-%m-%d %H") for n in range(hours - 1, -1, -1)]


def charts_of(figures: dict[str, Any]) -> dict[str, Chart]:
    """One chart per table (tables already name the regencies)."""
    days = last_days(30)
    _, types, values = pivot(figures["reports"].rows)
    type_labels = {key: rt.label[0] for key, rt in REPORT_TYPES.items()}
    handsets: Table = figures["handsets"]
    regencies = [str(r[0]) for r in handsets.rows]
    by_status = {(str(r[0]), s): r[i + 1] for r in handsets.rows for i, s in enumerate(HANDSET_SERIES)}
    used = {(str(r[0]), "dipakai"): r[5] for r in handsets.rows}
    sms = {(r[0], s): r[i] for r in figures["sms"].rows for s, i in (("masuk", 1), ("keluar", 2), ("gagal", 4))}
    _, statuses, ussd = pivot(figures["ussd"].rows)
    inc_regencies, ages, incidents = pivot(figures["incidents"].rows)
    return {
        "reports": stacked(days, types, values, type_labels, every=3),
        "handsets": stacked(regencies, list(HANDSET_SERIES), by_status, HANDSET_SERIES, top=1000),
        "used": stacked(regencies, ["dipakai"], used, {"dipakai": "Dipakai 7 hari terakhir"}, top=1000),
        "sms": stacked(days, list(SMS_SERIES), sms, SMS_SERIES, every=3, grouped=True),
        "ussd": stacked(last_hours(24), statuses, ussd, every=2),
        "incidents": stacked(inc_regencies, [a for a, _ in AGE_BUCKETS if a in ages], incidents),
    }


@bp.route("/")
def index() -> str:
    """The dashboard: reports, handsets, SMS, USSD and open incidents at a glance."""
    figures = all_figures(regency_scope())
    names = regency_names()
    for name in ("handsets", "incidents"):  # regency names instead of codes in the tables
        table = figures[name]
        figures[name] = Table(table.columns, [(names.get(r[0], r[0]), *r[1:]) for r in table.rows])
    return render_template("console/dashboard.html", f=figures, charts=charts_of(figures), names=names)


@bp.route("/dashboard/<name>.csv")
def dashboard_csv(name: str) -> Response:
    """One chart's numbers as CSV."""
    if name not in FIGURES:
        abort(404)
    table = FIGURES[name](regency_scope(), utcnow())
    return csv_response(f"melek-{name}.csv", table.columns, table.rows)
