"""Database wiring: URL and engine options, SQLite made transactional, migrations."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, g, has_app_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.extensions import db, migrate

log = logging.getLogger(__name__)
WRITE_INTENT = "melek_write_intent"


def init_app(app: Flask) -> None:
    """Bind Flask-SQLAlchemy and Flask-Migrate to the app's DATABASE_URL."""
    url = normalise_url(app.config["DATABASE_URL"])
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    options: dict[str, Any] = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        # A database that hangs must not hold a webhook past its budget.
        options["connect_args"] = {"connect_timeout": 2, "options": "-c statement_timeout=5000"}
    else:
        options["connect_args"] = {"timeout": 5}
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", options)
    db.init_app(app)
    migrate.init_app(app, db, directory="migrations")
    if url.startswith("sqlite"):
        with app.app_context():
            make_sqlite_transactional(db.engine)
        app.before_request(writing_request_begins_as_writer)
        app.teardown_request(end_writes_everywhere)


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs (the driver we install)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_sqlite_transactional(engine: Engine) -> None:
    """pysqlite's own transaction handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN.

    This is SQLAlchemy's documented recipe; it also turns on foreign keys and WAL.
    Transactions begin deferred, so readers never wait for a writer. One that reads and
    then writes, racing another writer, can fail at once with "database is locked" (a read
    snapshot cannot become a write one; busy_timeout does not help): code that must read
    then write calls `begin_write()` first, which makes its transaction IMMEDIATE.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        writer = conn.get_execution_options().get(WRITE_INTENT) or writes_everywhere()
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")


def begin_write() -> None:
    """Begin the session's next transaction as a writer: SQLite takes its write lock at once
    (waiting up to busy_timeout) instead of failing a read-then-write race. No-op elsewhere,
    and when a transaction is already open (too late to choose)."""
    if not db.session().in_transaction():
        db.session.connection(execution_options={WRITE_INTENT: True})


def writes_everywhere() -> bool:
    """True inside a writing API or console request, or a job: every transaction there begins as a writer."""
    return has_app_context() and bool(g.get(WRITE_INTENT))


def begin_writes_everywhere() -> None:
    """From here to the end of the app context (a job) or request, every transaction is a writer's.

    For an API or console request that may write, and for every job: SQLite then queues such work
    behind the write lock (up to busy_timeout) instead of failing a read-then-write race
    with "database is locked". Readers are unaffected (WAL); PostgreSQL ignores it.
    """
    g.setdefault(WRITE_INTENT, True)


def end_writes_everywhere(_exc: BaseException | None = None) -> None:
    """teardown_request: a test's shared app context must not stay a writer after the request."""
    g.pop(WRITE_INTENT, None)


WRITING_PREFIXES = ("/api/v1/", "/console/")


def writing_request_begins_as_writer() -> None:
    """before_request (app-wide, so before authentication): an API call or console form other than
    GET/HEAD/OPTIONS may write, after reading (the console's sign-in reads the admin first)."""
    if request.path.startswith(WRITING_PREFIXES) and request.method not in ("GET", "HEAD", "OPTIONS"):
        begin_writes_everywhere()


def rollback_quietly() -> None:
    """Roll the session back after a failure, without raising: the database may be what failed."""
    try:
        db.session.rollback()
    except Exception as exc:
        log.warning("database: rollback failed", extra={"error": type(exc).__name__})
