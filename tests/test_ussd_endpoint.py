"""POST /ussd as an endpoint: JSON 4xx for malformed calls, metrics, request id, never a 5xx."""

from __future__ import annotations

import pytest
from flask import Flask

from app.webhooks import ussd as endpoint
from tests.helpers import ussd_form

UNKNOWN = "+6281234567890"


def test_other_methods_get_405_json_naming_post(app: Flask) -> None:
    for method in ("GET", "PUT", "DELETE"):
        response = app.test_client().open("/ussd", method=method)
        assert response.status_code == 405 and "POST" in response.headers["Allow"]
        assert response.get_json()["error"] == 405


def test_a_bad_phone_number_is_400_json(app: Flask) -> None:
    response = app.test_client().post("/ussd", data=ussd_form("p1", "not a number", ""))
    assert response.status_code == 400
    assert "phoneNumber" in response.get_json()["message"]


@pytest.mark.parametrize("path", ["/ussd", "/ussd/events", "/sms/inbound", "/sms/delivery"])
def test_a_webhook_body_over_64_kb_is_413_json(app: Flask, path: str) -> None:
    response = app.test_client().post(path, data=ussd_form("big", UNKNOWN, "1*" * 40_000))
    assert response.status_code == 413 and response.get_json()["error"] == 413
    assert app.test_client().post(path, data=ussd_form("ok", UNKNOWN, "1*" * 20_000)).status_code != 413


def test_hops_are_counted_in_the_metrics_under_the_flask_endpoint_name(app: Flask) -> None:
    client = app.test_client()
    for n in range(3):
        assert client.post("/ussd", data=ussd_form(f"m{n}", UNKNOWN, "")).status_code == 200
    body = client.get("/metrics").get_data(as_text=True)
    assert 'melek_http_requests_total{endpoint="ussd.ussd",method="POST",status="200"} 3.0' in body
    assert 'melek_http_request_duration_seconds_count{endpoint="ussd.ussd"} 3.0' in body


def test_a_request_id_is_made_when_none_is_given(app: Flask) -> None:
    response = app.test_client().post("/ussd", data=ussd_form("r1", UNKNOWN, ""))
    assert len(response.headers["X-Request-Id"]) == 32


def test_a_failure_in_the_view_is_the_busy_screen_not_a_5xx(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(endpoint, "handle_hop", broken)
    response = app.test_client().post("/ussd", data=ussd_form("b1", UNKNOWN, ""))
    assert response.status_code == 200 and response.get_data(as_text=True) == endpoint.BUSY


def test_a_failure_in_a_before_request_hook_is_the_busy_screen_not_a_5xx(app: Flask) -> None:
    def broken() -> None:
        raise RuntimeError("boom")

    app.before_request_funcs.setdefault(None, []).append(broken)
    response = app.test_client().post("/ussd", data=ussd_form("b2", UNKNOWN, ""))
    assert response.status_code == 200 and response.get_data(as_text=True) == endpoint.BUSY


def test_paths_near_ussd_still_reach_flask(app: Flask) -> None:
    client = app.test_client()
    assert client.post("/ussd/events", data={"sessionId": "e1"}).status_code == 200
    assert client.post("/ussd/", data=ussd_form("s1", UNKNOWN, "")).status_code in (308, 404)
