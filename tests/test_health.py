"""Health endpoints: liveness, readiness naming the failed dependency, metrics."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import TEST_REDIS_URL, make_app


def test_healthz_says_ok(client: FlaskClient) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_is_200_when_database_and_redis_answer(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200


def test_readyz_names_redis_when_it_is_down(database_url: str, tmp_path: Path) -> None:
    app = make_app(database_url, tmp_path, REDIS_URL="redis://127.0.0.1:1/0")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["failed"] == ["redis"]


def test_readyz_names_the_database_when_it_is_down(tmp_path: Path) -> None:
    app = make_app("postgresql+psycopg://nobody@127.0.0.1:1/melek", tmp_path)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["failed"] == ["database"]


def test_metrics_count_requests_per_endpoint_and_show_queues(app: Flask, client: FlaskClient) -> None:
    client.get("/healthz")
    client.get("/healthz")
    body = client.get("/metrics").get_data(as_text=True)
    assert 'melek_http_requests_total{endpoint="health.healthz",method="GET",status="200"} 2.0' in body
    assert 'melek_http_request_duration_seconds_bucket{endpoint="health.healthz"' in body
    assert 'melek_queue_length{queue="sms"} 0.0' in body


def test_metrics_show_the_sms_inbox_as_a_queue(app: Flask, client: FlaskClient) -> None:
    form = {"from": "+6281350000001", "to": "818", "text": "INFO", "id": "ATXid_metrics"}
    assert client.post("/sms/inbound", data=form).status_code == 200
    body = client.get("/metrics").get_data(as_text=True)
    assert 'melek_queue_length{queue="sms-inbox"} 1.0' in body


def test_metrics_content_type_is_prometheus_text(client: FlaskClient) -> None:
    content_type = client.get("/metrics").headers["Content-Type"]
    assert content_type.startswith("text/plain") and content_type.count("charset") == 1


def test_metrics_under_gunicorns_multi_process_mode_name_each_family_once(tmp_path: Path) -> None:
    files = tmp_path / "prom"
    files.mkdir()
    script = (
        "from app import create_app\n"
        "client = create_app().test_client()\n"
        "client.get('/healthz')\n"
        "print(client.get('/metrics').get_data(as_text=True))\n"
    )
    env = os.environ | {
        "PROMETHEUS_MULTIPROC_DIR": str(files),
        "MELEK_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'm.db'}",
        "REDIS_URL": TEST_REDIS_URL,
    }
    root = Path(__file__).resolve().parent.parent
    body = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=root, capture_output=True, text=True, check=True, timeout=60
    ).stdout  # a process of its own: prometheus_client picks multi-process values at import, as under gunicorn
    assert 'melek_http_requests_total{endpoint="health.healthz",method="GET",status="200"} 1.0' in body
    types = [line for line in body.splitlines() if line.startswith("# TYPE ")]
    assert len(types) == len(set(types)) and "# TYPE melek_queue_length gauge" in types
