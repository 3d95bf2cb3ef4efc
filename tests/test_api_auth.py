"""Bearer tokens: 401 without, 403 for a role that may not act, 429 only for failures, expiry, revocation."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Admin, ApiToken
from app.models.base import utcnow
from app.security.tokens import token_hash
from tests.registry_helpers import audit_actions, bearer, make_tokens


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


def test_failures_from_an_address_never_block_a_valid_token(seeded: Flask) -> None:
    tokens = make_tokens()
    client = seeded.test_client()
    for _ in range(10):
        assert client.get("/api/v1/handsets", headers=bearer("mlk_guess")).status_code == 401
    guess = client.get("/api/v1/handsets", headers=bearer("mlk_guess"))
    assert guess.status_code == 429 and guess.headers["Retry-After"]
    assert guess.get_json()["error"] == 429
    assert client.get("/api/v1/handsets", headers=bearer(tokens["province"])).status_code == 200


def test_an_expired_token_is_refused(seeded: Flask) -> None:
    tokens = make_tokens()
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(tokens["province"])))
    assert row is not None and row.expires_at is not None
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = seeded.test_client().get("/api/v1/handsets", headers=bearer(tokens["province"]))
    assert response.status_code == 401


def test_tokens_are_listed_issued_and_revoked_one_by_one(seeded: Flask) -> None:
    tokens = make_tokens()
    client = seeded.test_client()
    province = bearer(tokens["province"])
    admin_id = db.session.scalar(select(Admin.id).where(Admin.username == "smd"))
    second = client.post(f"/api/v1/admins/{admin_id}/tokens", json={"days": 7}, headers=province)
    assert second.status_code == 201
    listed = client.get(f"/api/v1/admins/{admin_id}/tokens", headers=province).get_json()
    assert len(listed) == 2 and all("token" not in row and "token_hash" not in row for row in listed)
    first_id = min(row["id"] for row in listed)
    revoked = client.post(f"/api/v1/admins/{admin_id}/tokens/{first_id}/revoke", headers=province)
    assert revoked.status_code == 200 and revoked.get_json()["revoked_at"]
    assert client.get("/api/v1/handsets", headers=bearer(tokens["samarinda"])).status_code == 401
    assert client.get("/api/v1/handsets", headers=bearer(second.get_json()["token"])).status_code == 200
    assert "admin.token_revoke" in audit_actions(str(admin_id))
    other = client.post(f"/api/v1/admins/{admin_id + 1}/tokens/{first_id}/revoke", headers=province)
    assert other.status_code == 404


def test_cli_lists_and_revokes_a_token(seeded: Flask) -> None:
    tokens = make_tokens()
    runner = seeded.test_cli_runner()
    listed = runner.invoke(args=["admins", "tokens", "bpn"])
    assert listed.exit_code == 0, listed.output
    token_id = listed.output.split("\t")[0]
    revoked = runner.invoke(args=["admins", "revoke-token", token_id])
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    assert seeded.test_client().get("/api/v1/handsets", headers=bearer(tokens["balikpapan"])).status_code == 401
    issued = runner.invoke(args=["admins", "token", "bpn", "--days", "30"])
    assert issued.exit_code == 0 and "token" in issued.output


def test_an_admin_cannot_deactivate_itself(seeded: Flask) -> None:
    tokens = make_tokens()
    own_id = db.session.scalar(select(Admin.id).where(Admin.username == "prov"))
    response = seeded.test_client().post(f"/api/v1/admins/{own_id}/deactivate", headers=bearer(tokens["province"]))
    assert response.status_code == 409


def test_options_answers_without_a_token(seeded: Flask) -> None:
    client = seeded.test_client()
    for path in ("/api/v1/admins", "/api/v1/broadcasts", "/api/v1/broadcasts/1", "/api/v1/handsets"):
        response = client.options(path)
        assert response.status_code == 200, path
        assert "GET" in response.headers["Allow"] or "POST" in response.headers["Allow"]


def test_other_clients_are_not_limited_by_one_guesser(seeded: Flask) -> None:
    tokens = make_tokens()
    client = seeded.test_client()
    for _ in range(10):
        client.get("/api/v1/handsets", headers=bearer("mlk_guess"), environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert client.get("/api/v1/handsets", headers=bearer(tokens["province"])).status_code == 200
