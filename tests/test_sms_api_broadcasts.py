"""POST/GET /api/v1/broadcasts: province admins only, validated, counts shown."""

from __future__ import annotations

from flask import Flask

from tests.helpers import run_worker_burst
from tests.registry_helpers import add, bearer, make_tokens


def test_a_province_admin_broadcasts_to_a_regency_and_sees_counts(seeded: Flask) -> None:
    add(1, regency="6472")
    add(2, regency="6471")
    tokens = make_tokens()
    client, auth = seeded.test_client(), bearer(tokens["province"])
    body = {"text": "Rapat “penting” – Senin", "regencies": ["Samarinda"], "urgent": True}
    response = client.post("/api/v1/broadcasts", json=body, headers=auth)
    assert response.status_code == 202, response.get_json()
    created = response.get_json()
    assert created["status"] == "pending" and created["text"] == 'Rapat "penting" - Senin'
    run_worker_burst(seeded)
    shown = client.get(f"/api/v1/broadcasts/{created['id']}", headers=auth).get_json()
    assert shown["status"] == "done" and shown["recipients"] == 1 and shown["regencies"] == ["6472"]
    assert shown["counts"]["not_sent"] == 1 and shown["counts"]["failed"] == 0


def test_only_province_admins_may_broadcast(seeded: Flask) -> None:
    tokens = make_tokens()
    client = seeded.test_client()
    body = {"text": "Halo", "urgent": True}
    assert client.post("/api/v1/broadcasts", json=body).status_code == 401
    assert client.post("/api/v1/broadcasts", json=body, headers=bearer(tokens["samarinda"])).status_code == 403


def test_bad_requests_are_422_with_a_message(seeded: Flask) -> None:
    auth = bearer(make_tokens()["province"])
    client = seeded.test_client()
    bad_number = client.post("/api/v1/broadcasts", json={"text": "x", "numbers": ["0541-123456"]}, headers=auth)
    assert bad_number.status_code == 422 and "not an Indonesian mobile" in bad_number.get_json()["message"]
    assert client.post("/api/v1/broadcasts", json={"numbers": ["+6281350000001"]}, headers=auth).status_code == 422
    both = {"text": "x", "numbers": ["+6281350000001"], "regencies": ["6472"]}
    assert client.post("/api/v1/broadcasts", json=both, headers=auth).status_code == 422
    assert client.get("/api/v1/broadcasts/999", headers=auth).status_code == 404
