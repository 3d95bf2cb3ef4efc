"""WEBHOOK_TOKEN and WEBHOOK_ALLOWED_IPS guard /ussd and /sms/*; bad calls get JSON 400."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models import InboundMessage
from tests.conftest import make_app
from tests.helpers import ussd_form

PATHS = ["/ussd", "/ussd/events", "/sms/inbound", "/sms/delivery"]


@pytest.fixture
def guarded(database_url: str, tmp_path: Path, redis: object) -> Flask:
    return make_app(database_url, tmp_path, WEBHOOK_TOKEN="s3cret-token", WEBHOOK_ALLOWED_IPS="127.0.0.0/8")


@pytest.mark.parametrize("path", PATHS)
def test_missing_or_wrong_token_is_403(guarded: Flask, path: str) -> None:
    client = guarded.test_client()
    assert client.post(path, data={}).status_code == 403
    wrong = client.post(path + "?token=guess", data={})
    assert wrong.status_code == 403 and "token" in wrong.get_json()["message"]


@pytest.mark.parametrize("path", PATHS)
def test_address_outside_the_allow_list_is_403(guarded: Flask, path: str) -> None:
    client = guarded.test_client()
    response = client.post(path + "?token=s3cret-token", data={}, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert response.status_code == 403 and "address" in response.get_json()["message"]


def test_right_token_from_allowed_address_passes(guarded: Flask) -> None:
    client = guarded.test_client()
    response = client.post("/ussd?token=s3cret-token", data=ussd_form("g1", "+6281234567890", ""))
    assert response.status_code == 200 and response.get_data(as_text=True).startswith("END ")


@pytest.mark.parametrize("missing", ["sessionId", "phoneNumber", "serviceCode", "text"])
def test_ussd_missing_field_is_400_json(app: Flask, missing: str) -> None:
    form = ussd_form("m1", "+6281234567890", "")
    del form[missing]
    response = app.test_client().post("/ussd", data=form)
    assert response.status_code == 400
    assert missing in response.get_json()["message"]


def test_unknown_number_gets_an_indonesian_end_screen(app: Flask) -> None:
    response = app.test_client().post("/ussd", data=ussd_form("u1", "+6281234567890", ""))
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert body.startswith("END ") and "belum terdaftar" in body
    assert len(body) <= app.config["USSD_MAX_CHARS"]


def test_demo_number_gets_a_con_screen(demo: Flask) -> None:
    from app.seed import DEMO_MSISDN

    response = demo.test_client().post("/ussd", data=ussd_form("d1", DEMO_MSISDN, ""))
    assert response.get_data(as_text=True).startswith("CON ")


@pytest.mark.parametrize("path", ["/ussd", "/sms/inbound"])
def test_behind_a_proxy_the_allow_list_sees_the_callers_address(
    database_url: str, tmp_path: Path, redis: object, path: str
) -> None:
    app = make_app(database_url, tmp_path, WEBHOOK_ALLOWED_IPS="196.201.214.0/24", PROXY_HOPS=1)
    client = app.test_client()
    proxy = {"REMOTE_ADDR": "10.0.0.5"}
    outsider = client.post(path, data={}, environ_base=proxy, headers={"X-Forwarded-For": "203.0.113.9"})
    assert outsider.status_code == 403
    gateway = client.post(path, data={}, environ_base=proxy, headers={"X-Forwarded-For": "196.201.214.7"})
    assert gateway.status_code == 400  # past the guard: the empty form is what is wrong


def test_a_chunked_body_over_64_kb_is_refused_not_cut(app: Flask) -> None:
    big = b"from=%2B6281350000001&to=818&id=big-1&date=2026-11-29&text=" + b"A" * 70_000
    chunked = {"environ_overrides": {"wsgi.input_terminated": True}}
    for path in ("/sms/inbound",):
        response = app.test_client().post(
            path,
            input_stream=io.BytesIO(big),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked"},
            **chunked,
        )
        assert response.status_code == 413, path
        assert response.get_json()["error"] == 413
    assert db.session.scalar(select(func.count()).select_from(InboundMessage)) == 0


def test_a_small_chunked_body_is_read_whole(app: Flask) -> None:
    body = b"from=%2B6281350000001&to=818&id=small-1&date=2026-11-29&text=" + b"B" * 500
    response = app.test_client().post(
        "/sms/inbound",
        input_stream=io.BytesIO(body),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 200
    assert db.session.scalar(select(InboundMessage.text)) == "B" * 500


def test_without_proxy_hops_a_forwarded_for_header_is_ignored(database_url: str, tmp_path: Path, redis: object) -> None:
    app = make_app(database_url, tmp_path, WEBHOOK_ALLOWED_IPS="196.201.214.0/24")
    spoofed = {"X-Forwarded-For": "196.201.214.7"}
    response = app.test_client().post("/ussd", data={}, environ_base={"REMOTE_ADDR": "203.0.113.9"}, headers=spoofed)
    assert response.status_code == 403
