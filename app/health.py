"""Health endpoints: process up, dependencies reachable, metrics."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify
from sqlalchemy import text

from app.database import rollback_quietly
from app.extensions import db
from app.metrics import exposition
from app.redis_client import get_redis

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz() -> Response:
    """The process is up and serving."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """200 when the database and Redis answer; 503 naming each one that does not."""
    failed = []
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:
        rollback_quietly()
        log.warning("readyz: database unreachable", extra={"error": type(exc).__name__})
        failed.append("database")
    try:
        get_redis().ping()
    except Exception as exc:
        log.warning("readyz: redis unreachable", extra={"error": type(exc).__name__})
        failed.append("redis")
    if failed:
        return jsonify(status="unavailable", failed=failed), 503
    return jsonify(status="ok"), 200


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus text format."""
    return exposition()
