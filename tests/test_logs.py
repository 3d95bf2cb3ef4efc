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


@pytest.mark.parametrize(("method", "path", "status"), [("POST", "/ussd", 200), ("GET", "/ussd", 405)])
def test_every_request_leaves_one_line_without_the_query_string(
    app: Flask, log_lines: io.StringIO, method: str, path: str, status: int
) -> None:
    app.config["WEBHOOK_TOKEN"] = "s3cret-token"
    data = ussd_form("l2", "+6281234567890", "") if method == "POST" else None
    response = app.test_client().open(
        f"{path}?token=s3cret-token", method=method, data=data, headers={"X-Request-Id": "req42"}
    )
    assert response.status_code == status
    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    requests = [e for e in lines if e["logger"] == "melek.request"]
    assert len(requests) == 1
    entry = requests[0]
    assert (entry["request_id"], entry["method"], entry["path"], entry["status"]) == ("req42", method, path, status)
    assert entry["duration_ms"] >= 0
    assert "s3cret-token" not in log_lines.getvalue()


def test_rq_routine_messages_are_debug_and_job_results_stay_info(app: Flask, log_lines: io.StringIO) -> None:
    from app.logs import quiet_rq

    quiet_rq()
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    rq_log = logging.getLogger("rq.worker")
    rq_log.info("Worker %s: cleaning registries for queue: %s", "w1", "sms")
    rq_log.info("Successfully completed job %s in %ss on worker %s", "j1", "0.01", "w1")
    text = log_lines.getvalue()
    assert "cleaning registries" not in text and "Successfully completed job j1" in text
    root.setLevel(logging.DEBUG)
    rq_log.info("Worker %s: cleaning registries for queue: %s", "w1", "sms")
    assert json.loads(log_lines.getvalue().splitlines()[-1])["level"] == "debug"
