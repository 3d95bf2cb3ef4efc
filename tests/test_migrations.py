"""Migrations: upgrade an empty database to head, agree with the models, one head."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import Config
from sqlalchemy import inspect

from app.extensions import db
from app.models import Base


def test_upgrade_creates_every_model_table(app: Flask) -> None:
    tables = set(inspect(db.session.connection()).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


def test_models_and_migrations_agree(app: Flask) -> None:
    context = MigrationContext.configure(db.session.connection(), opts={"compare_type": True})
    assert compare_metadata(context, Base.metadata) == []


def test_there_is_a_single_head(app: Flask) -> None:
    config = Config("migrations/alembic.ini")
    config.set_main_option("script_location", "migrations")
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
