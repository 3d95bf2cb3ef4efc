"""Operations (province admins): readiness of Redis, the database and the back office, and
RQ's queues, workers and failed jobs through `rq-dashboard`, mounted at /console/rq behind
the console's sign-in.

rq-dashboard has no authentication of its own (by design: the hosting app's job), so its
blueprint gets a `before_request` that asks for a signed-in, non-idle province admin, and
refuses any request that changes something (POST; its requeue-all also answers GET) unless
it comes from this site (Origin/Referer), since its pages post without a CSRF token.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit

import rq_dashboard
from flask import Flask, abort, g, redirect, render_template, request, session, url_for
from flask_login import current_user
from rq.serializers import JSONSerializer
from sqlalchemy import text
from werkzeug.wrappers import Response

from app.console import auth, bp
from app.console.roles import has_role, require_role
from app.extensions import db
from app.redis_client import get_redis

log = logging.getLogger(__name__)
RQ_PREFIX = "/console/rq"


def readiness() -> list[tuple[str, bool, str]]:
    """(part, ready, detail) for the database, Redis and the back office."""
    checks: list[tuple[str, bool, str]] = []
    try:
        db.session.execute(text("SELECT 1"))
        checks.append(("Basis data", True, db.engine.dialect.name))
    except Exception as exc:
        db.session.rollback()
        checks.append(("Basis data", False, type(exc).__name__))
    try:
        get_redis().ping()
        checks.append(("Redis", True, "PING ok"))
    except Exception as exc:
        checks.append(("Redis", False, type(exc).__name__))
    checks.append(backoffice_readiness())
    return checks


def backoffice_readiness() -> tuple[str, bool, str]:
    """The SQL back office is the database; the HTTP one is as ready as its circuit breaker."""
    from app.backoffice import get_backoffice
    from app.backoffice.http import HttpBackOffice

    backoffice = get_backoffice()
    if not isinstance(backoffice, HttpBackOffice):
        return ("Back office", True, "sql (basis data Melek)")
    try:
        state = backoffice.breaker.state()
    except Exception as exc:
        return ("Back office", False, type(exc).__name__)
    return ("Back office", state == "closed", f"http {backoffice.base_url} · pemutus: {state}")


@bp.route("/operations")
@require_role("province")
def operations() -> str:
    """Readiness, and the RQ dashboard below it."""
    return render_template("console/operations.html", checks=readiness(), rq_url=RQ_PREFIX + "/")


def same_origin() -> bool:
    """True when the browser says the request comes from one of our own pages."""
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    return urlsplit(source).netloc == request.host


def guard_rq() -> Response | None:
    """rq-dashboard's pages: signed-in, non-idle province admins only; changes only from our pages."""
    g.pop("_login_user", None)  # read the user of this request (see app.console.auth.guard)
    if not current_user.is_authenticated:
        return auth.login_manager.unauthorized()
    if int(time.time()) - int(session.get("seen", 0)) > auth.idle_seconds():
        return redirect(url_for("console.login"))
    if not has_role("province"):
        abort(404)
    changes = request.method != "GET" or request.endpoint == "rq_dashboard.requeue_all"
    if changes and not same_origin():
        abort(403)
    return None


# rq-dashboard's blueprint is one module-level object shared by every app: hook it once.
rq_dashboard.blueprint.before_request(guard_rq)


def init_app(app: Flask) -> None:
    """Mount rq-dashboard under /console/rq on the app's Redis (our queues use RQ's JSON serializer)."""
    app.config.setdefault("RQ_DASHBOARD_REDIS_URL", app.config["REDIS_URL"])
    app.config.setdefault("RQ_DASHBOARD_POLL_INTERVAL", 5000)
    rq_dashboard.web.config.serializer = JSONSerializer
    if "rq_dashboard" not in app.blueprints:
        app.register_blueprint(rq_dashboard.blueprint, url_prefix=RQ_PREFIX)
    rq_dashboard.web.setup_rq_connection(app)
