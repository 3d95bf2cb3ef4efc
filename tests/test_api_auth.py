"""Bearer tokens: 401 without, 403 for a role that may not act, 429 after repeated failures."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import ApiToken
from app.security.tokens import token_hash
from tests.registry_helpers import bearer, make_tokens


def test_no_or_wrong_token_is_401_json(seeded: Flask) -> None:
    client = seeded.test_client()
    for headers in ({}, bearer("mlk_wrong"), {"Authorization": "Basic abc"}):
        response = client.get("/api/v1/handsets", headers=headers)
        assert response.status_code == 401
        assert response.get_json()["message"]
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_valid_token_works_and_only_its_hash_is_stored(seeded: Flask) -> None:
    tokens = make_tokens()
    assert seeded.test_client().get("/api/v1/handsets", headers=bearer(tokens["province"])).status_code == 200
    stored = set(db.session.scalars(select(ApiToken.token_hash)))
    assert tokens["province"] not in stored and token_hash(tokens["province"]) in stored


def test_roles_that_may_not_act_get_403(seeded: Flask) -> None:
    tokens = make_tokens()
    client = seeded.test_client()
    for who in ("samarinda", "viewer"):
        assert client.get("/api/v1/admins", headers=bearer(tokens[who])).status_code == 403
    body = {"imei": "490154203237518", "regency": "6472", "msisdn": "081234567890"}
    response = client.post("/api/v1/handsets", json=body, headers=bearer(tokens["viewer"]))
    assert response.status_code == 403


def test_repeated_failures_are_rate_limited_even_for_a_good_token(seeded: Flask) -> None:
    tokens = make_tokens()
    client = seeded.test_client()
    for _ in range(10):
        assert client.get("/api/v1/handsets", headers=bearer("mlk_guess")).status_code == 401
    response = client.get("/api/v1/handsets", headers=bearer(tokens["province"]))
    assert response.status_code == 429
    assert response.headers["Retry-After"]


def test_other_clients_are_not_limited_by_one_guesser(seeded: Flask) -> None:
    tokens = make_tokens()
    client = seeded.test_client()
    for _ in range(10):
        client.get("/api/v1/handsets", headers=bearer("mlk_guess"), environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert client.get("/api/v1/handsets", headers=bearer(tokens["province"])).status_code == 200
