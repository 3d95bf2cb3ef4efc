"""`flask seed`: the 14 regencies, idempotently; `--demo` gives every menu something."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from app.extensions import db
from app.models import Announcement, Handset, Regency
from app.seed import DEMO_MSISDN, REGENCIES


def test_seed_loads_the_14_regencies_with_bps_codes(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    rows = {r.code: (r.name, r.kind) for r in db.session.scalars(select(Regency))}
    assert len(rows) == 14
    assert rows["6472"] == ("Samarinda", "kota")
    assert rows["6403"] == ("Kutai Kartanegara", "kabupaten")
    assert sum(1 for _, kind in rows.values() if kind == "kota") == 4


def test_seed_is_idempotent_and_repairs_edits(app: Flask, runner: FlaskCliRunner) -> None:
    runner.invoke(args=["seed"])
    db.session.get(Regency, "6401").name = "Pasir"  # type: ignore[union-attr]
    db.session.commit()
    result = runner.invoke(args=["seed"])
    assert "1 added or corrected" in result.output
    assert db.session.scalar(select(func.count()).select_from(Regency)) == len(REGENCIES)
    assert db.session.get(Regency, "6401").name == "Paser"  # type: ignore[union-attr]


def test_demo_seed_prints_the_number_and_is_idempotent(app: Flask, runner: FlaskCliRunner) -> None:
    first = runner.invoke(args=["seed", "--demo"])
    assert DEMO_MSISDN in first.output
    runner.invoke(args=["seed", "--demo"])
    assert db.session.scalar(select(func.count()).select_from(Handset)) == 3
    assert db.session.scalar(select(func.count()).select_from(Announcement)) >= 2
    handset = db.session.scalar(select(Handset).where(Handset.msisdn == DEMO_MSISDN))
    assert handset is not None and handset.status == "active"
