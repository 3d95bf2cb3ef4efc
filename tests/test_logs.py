"""Logs are one JSON object per line, carry the request id, and never the USSD text."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from flask import Flask

from app.logs import JsonFormatter
from tests.helpers import ussd_form


@pytest.fixture
def log_lines(app: Flask) -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_each_line_is_json_with_the_request_id(app: Flask, log_lines: io.StringIO) -> None:
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # forces a warning on the USSD path
    app.extensions.pop("redis", None)
    response = app.test_client().post(
        "/ussd", data=ussd_form("l1", "+6281350000001", "1*7391"), headers={"X-Request-Id": "abc123"}
    )
    assert response.headers["X-Request-Id"] == "abc123"
    entries = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    assert entries, "the request should have logged something"
    assert all({"ts", "level", "logger", "msg"} <= set(e) for e in entries)
    assert any(e.get("request_id") == "abc123" for e in entries)
    assert "7391" not in log_lines.getvalue()


def test_a_bad_request_id_header_is_replaced(app: Flask) -> None:
    response = app.test_client().get("/healthz", headers={"X-Request-Id": "x;rm -rf"})
    assert response.headers["X-Request-Id"] != "x;rm -rf"
    assert len(response.headers["X-Request-Id"]) == 32
