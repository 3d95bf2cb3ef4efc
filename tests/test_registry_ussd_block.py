"""Blocking a handset takes effect on the very next USSD hop from its number."""

from __future__ import annotations

from flask import Flask

from app.registry import service
from app.registry.audit import CLI
from bench.registry_data import imei, msisdn
from tests.helpers import ussd_form
from tests.registry_helpers import add, bearer, make_tokens


def hop(app: Flask, session: str, phone: str) -> str:
    response = app.test_client().post("/ussd", data=ussd_form(session, phone, ""))
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_blocking_through_the_service_ends_the_next_hop(seeded: Flask) -> None:
    add(1)
    assert hop(seeded, "s1", msisdn(1)).startswith("CON ")  # caller now cached in Redis
    service.block(CLI, imei(1), "stolen")
    screen = hop(seeded, "s2", msisdn(1))
    assert screen.startswith("END ") and "blokir" in screen.lower()


def test_blocking_through_the_api_ends_the_next_hop_and_unblocking_restores_it(seeded: Flask) -> None:
    add(1)
    auth = bearer(make_tokens()["samarinda"])
    local = msisdn(1).replace("+62", "0")
    assert hop(seeded, "s1", local).startswith("CON ")
    client = seeded.test_client()
    assert client.post(f"/api/v1/handsets/{imei(1)}/block", json={"reason": "lost"}, headers=auth).status_code == 200
    assert hop(seeded, "s2", msisdn(1)).startswith("END ")
    assert client.post(f"/api/v1/handsets/{imei(1)}/unblock", headers=auth).status_code == 200
    assert hop(seeded, "s3", msisdn(1)).startswith("CON ")


def test_a_swapped_out_number_is_no_longer_recognised(seeded: Flask) -> None:
    add(1)
    assert hop(seeded, "s1", msisdn(1)).startswith("CON ")
    service.swap_sim(CLI, imei(1), msisdn(77))
    assert hop(seeded, "s2", msisdn(1)).startswith("END ")
    assert hop(seeded, "s3", msisdn(77)).startswith("CON ")
