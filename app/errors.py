"""Errors as JSON with a message; never a traceback to the caller."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import HTTPException

from app.database import rollback_quietly

log = logging.getLogger(__name__)


def json_error(status: int, message: str, **fields: object) -> tuple[Response, int]:
    """A JSON error body: {"error": <status code>, "message": ..., "errors": [{field, error}], **fields}.

    The admin API's OpenAPI document declares this shape once (app.api.ErrorOut).
    """
    fields.setdefault("errors", [])
    return jsonify(error=status, message=message, **fields), status


def http_error(exc: HTTPException) -> tuple[Response, int]:
    """An HTTP error as JSON, keeping its headers (a 405's Allow)."""
    response, status = json_error(exc.code or 500, exc.description or exc.name)
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response, status


def init_app(app: Flask) -> None:
    """Turn HTTP errors and unexpected exceptions into JSON answers."""

    app.register_error_handler(HTTPException, http_error)

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def _out_of_range(exc: Exception) -> tuple[Response, int]:
        # An id or number too large for the database column (e.g. /officials/99999999999999999999).
        rollback_quietly()
        return json_error(404, "Tidak ditemukan / not found (value out of range).")

    @app.errorhandler(OperationalError)
    def _database_unavailable(exc: OperationalError) -> Response:
        # The database is down, or (SQLite) another writer holds the lock: nothing was saved.
        rollback_quietly()
        log.warning("database unavailable", extra={"error": type(exc.orig).__name__ if exc.orig else "?"})
        response, status = json_error(503, "Database busy or unavailable; try again shortly.")
        response.status_code = status
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> tuple[Response, int]:
        log.exception("unhandled error")
        return json_error(500, "Internal error; it has been logged.")
