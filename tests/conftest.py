"""Fixtures: a real Redis (own database index, flushed around each test) and a real database.

Databases: SQLite by default; PostgreSQL when TEST_DATABASE_URL is set. Each database is
migrated to head once per run; each test runs inside a transaction rolled back at the end
(SQLAlchemy's "join a session into an external transaction" recipe), so tests never see
each other's rows. Tests that need rows committed for other processes use `committed_app`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis as redis_lib
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import delete
from sqlalchemy.orm import scoped_session, sessionmaker

from app import create_app
from app.extensions import db
from app.models import Base

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every database-touching test once per configured database."""
    if "database_url" in metafunc.fixturenames:
        ids = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
        metafunc.parametrize("database_url", ids, indirect=True, scope="session")


@pytest.fixture(scope="session")
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated, empty database of the requested kind (tables dropped first for PostgreSQL)."""
    if request.param == "sqlite":
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "melek-test.db")
    else:
        url = os.environ["TEST_DATABASE_URL"]
    app = make_app(url, tmp_path_factory.mktemp("instance"))
    with app.app_context():
        drop_everything()
        upgrade()
        db.engine.dispose()
    return url


def drop_everything() -> None:
    """Drop all tables, alembic_version included, so each run starts from an empty schema."""
    Base.metadata.drop_all(db.engine)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def make_app(url: str, instance: Path, **overrides: Any) -> Flask:
    config = {
        "TESTING": True,
        "MELEK_ENV": "testing",
        "DATABASE_URL": url,
        "REDIS_URL": TEST_REDIS_URL,
        "SECRET_KEY": "test-secret-key-0123456789",
        "PIN_PEPPER": "test-pepper-0123456789",
    }
    config.update(overrides)
    app = create_app(config)
    CREATED_APPS.append(app)
    return app


CREATED_APPS: list[Flask] = []


@pytest.fixture(autouse=True)
def _dispose_engines() -> Iterator[None]:
    """Close every pooled connection of the apps a test made (no leaked sockets)."""
    yield
    while CREATED_APPS:
        app = CREATED_APPS.pop()
        with app.app_context():
            db.engine.dispose()
        client = app.extensions.pop("redis", None)
        if client is not None:
            client.close()
        gateway = app.extensions.pop("sms_gateway", None)
        if hasattr(gateway, "close"):
            gateway.close()  # the SDK's pooled HTTP connections


@pytest.fixture
def redis() -> Iterator[redis_lib.Redis]:
    """The test Redis database, flushed before and after the test."""
    client = redis_lib.Redis.from_url(TEST_REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def app(database_url: str, redis: redis_lib.Redis, tmp_path: Path) -> Iterator[Flask]:
    """An app whose database work is rolled back after the test."""
    app = make_app(database_url, tmp_path)
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        # A plain Session honours `bind` (Flask-SQLAlchemy's own Session always picks the engine).
        factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        db.session = scoped_session(factory, scopefunc=_app_ctx_id)
        try:
            yield app
        finally:
            db.session.remove()
            db.session = original
            transaction.rollback()
            connection.close()
            db.engine.dispose()


@pytest.fixture
def committed_app(database_url: str, redis: redis_lib.Redis, tmp_path: Path) -> Iterator[Flask]:
    """An app whose writes really commit (for other processes); every table emptied after."""
    app = make_app(database_url, tmp_path)
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            with db.engine.begin() as conn:
                for table in reversed(Base.metadata.sorted_tables):
                    conn.execute(delete(table))
            db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def seeded(app: Flask) -> Flask:
    """The 14 regencies loaded."""
    from app.seed import seed_regencies

    seed_regencies()
    return app


@pytest.fixture
def demo(seeded: Flask) -> Flask:
    """Regencies plus demo officials, handsets and announcements."""
    from app.seed import seed_demo

    seed_demo()
    return seeded


@pytest.fixture
def fake_at() -> Iterator[Any]:
    """A fake Africa's Talking API on loopback (tests/fake_at.py)."""
    from tests.fake_at import running_fake

    yield from running_fake()


@pytest.fixture
def at_app(app: Flask, fake_at: Any) -> Flask:
    """`app` sending through the real africastalking SDK pointed at the fake server."""
    app.config.update(SMS_GATEWAY="africastalking", AT_USERNAME="melek", AT_API_KEY="k-test", AT_SENDER_ID="MELEK")
    app.config["AT_API_BASE_URL"] = fake_at.url
    gateway = app.extensions.pop("sms_gateway", None)
    if hasattr(gateway, "close"):
        gateway.close()
    return app
