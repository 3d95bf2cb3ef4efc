"""With Redis unreachable admins can still work (the change is saved); with the database down, a JSON 503."""

from __future__ import annotations

from pathlib import Path

import redis as redis_lib
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Handset
from bench.registry_data import imei
from tests.conftest import make_app
from tests.registry_helpers import add, bearer, make_tokens


def test_block_is_saved_when_the_cache_cannot_be_cleared(seeded: Flask) -> None:
    tokens = make_tokens()
    add(1)
    seeded.extensions["redis"] = redis_lib.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    try:
        client = seeded.test_client()
        response = client.post(
            f"/api/v1/handsets/{imei(1)}/block", json={"reason": "lost"}, headers=bearer(tokens["province"])
        )
        assert response.status_code == 200 and response.get_json()["status"] == "blocked"
        assert client.get("/api/v1/handsets", headers=bearer("mlk_wrong")).status_code == 401
    finally:
        seeded.extensions.pop("redis").close()
    assert db.session.scalar(select(Handset.status).where(Handset.imei == imei(1))) == "blocked"


def test_a_database_that_is_down_or_locked_is_503_json_not_500(tmp_path: Path, redis: object) -> None:
    app = make_app("postgresql+psycopg://postgres@127.0.0.1:1/none", tmp_path)
    response = app.test_client().get("/api/v1/handsets", headers={"Authorization": "Bearer " + "x" * 40})
    assert response.status_code == 503 and response.get_json()["error"] == 503
    assert response.headers["Retry-After"] == "5"
