"""The console's start page, its error pages and the small helpers every page uses."""

from __future__ import annotations

import logging
from datetime import UTC, date
from typing import Any

from flask import Flask, abort, flash, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from app.console import bp
from app.extensions import db
from app.registry.errors import RegistryError
from menus.clock import WITA

log = logging.getLogger(__name__)
PER_PAGE_CHOICES = (25, 50, 100)
ERROR_TITLES = {
    400: "Permintaan tidak valid",
    403: "Tidak diizinkan",
    404: "Tidak ditemukan",
    405: "Tidak diizinkan",
    413: "Berkas terlalu besar",
    429: "Terlalu banyak permintaan",
}


def page_args(default_per_page: int = 50) -> tuple[int, int]:
    """(page, per_page) from the query string; nonsense falls back to the first page."""
    number = request.args.get("page", "1")
    per_page = request.args.get("per_page", str(default_per_page))
    page = int(number) if number.isdigit() and 0 < int(number) < 100_000 else 1
    size = int(per_page) if per_page.isdigit() and int(per_page) in PER_PAGE_CHOICES else default_per_page
    return page, size


def parse_day(raw: str | None) -> date | None:
    """A YYYY-MM-DD filter field as a date; anything else (empty, mistyped) as no filter."""
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def pages_of(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def flash_error(exc: RegistryError) -> None:
    """A refused change, shown as a message on the next page; out of scope (404) stays a 404."""
    if exc.status == 404:
        raise exc
    flash(exc.message, "error")


def back(endpoint: str, **values: Any) -> Response:
    return redirect(url_for(endpoint, **values))


@bp.route("/<path:unknown>")
def not_a_page(unknown: str) -> Response:
    """Any other address under /console/: the console's own 404 page (not the API's JSON)."""
    abort(404)


@bp.errorhandler(CSRFError)
def csrf_failed(exc: CSRFError) -> tuple[str, int]:
    message = "Formulir kedaluwarsa atau tidak sah; muat ulang halaman lalu coba lagi."
    return render_template("console/error.html", title="Formulir kedaluwarsa", message=message), 400


@bp.errorhandler(RegistryError)
def registry_refused(exc: RegistryError) -> tuple[str, int]:
    db.session.rollback()
    return render_template("console/error.html", title=ERROR_TITLES.get(exc.status, "Ditolak"), message=exc.message), (
        exc.status
    )


@bp.errorhandler(OverflowError)
@bp.errorhandler(DataError)
def out_of_range(exc: Exception) -> tuple[str, int]:
    # An id too large for the database column (e.g. /console/officials/99999999999999999999).
    db.session.rollback()
    return render_template("console/error.html", title="Tidak ditemukan", message="Data ini tidak ada."), 404


@bp.errorhandler(OperationalError)
def database_unavailable(exc: OperationalError) -> tuple[str, int, dict[str, str]]:
    try:
        db.session.rollback()
    except Exception:  # noqa: S110 - the database may be what failed
        pass
    message = "Basis data sibuk atau tidak tersedia; tidak ada yang tersimpan. Coba lagi sebentar lagi."
    return render_template("console/error.html", title="Sedang sibuk", message=message), 503, {"Retry-After": "5"}


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException) -> tuple[str, int]:
    code = exc.code or 500
    title = ERROR_TITLES.get(code, exc.name)
    messages = {
        403: "Peran Anda tidak boleh membuka atau mengubah ini.",
        404: "Halaman atau data ini tidak ada, atau di luar wilayah Anda.",
    }
    return render_template("console/error.html", title=title, message=messages.get(code, exc.description)), code


@bp.errorhandler(Exception)
def unexpected(exc: Exception) -> tuple[str, int]:
    log.exception("console: unhandled error")
    try:
        db.session.rollback()
    except Exception:  # noqa: S110 - the database may be what failed
        pass
    message = "Terjadi kesalahan di server; sudah dicatat. Tidak ada perubahan yang tersimpan setengah jalan."
    return render_template("console/error.html", title="Kesalahan server", message=message), 500


def init_app(app: Flask) -> None:
    """Jinja filters the console's templates use."""
    app.jinja_env.filters.setdefault("wita", wita)


def wita(value: Any) -> str:
    """A UTC datetime as WITA (UTC+8), the province's time: 29-11-2026 14:05."""
    if value is None:
        return "-"
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(WITA).strftime("%d-%m-%Y %H:%M")
