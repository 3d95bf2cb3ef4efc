"""/sms/inbound commits before it answers 200; the same gateway id is stored and handled once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models import InboundMessage
from app.queues import SMS, get_queue

FORM = {"from": "+6281350000001", "to": "818", "text": "INFO", "date": "2026-11-29 01:00:00", "id": "ATXid_1"}


def test_inbound_is_stored_and_wakes_one_worker_per_gateway_id(app: Flask) -> None:
    client = app.test_client()
    assert client.post("/sms/inbound", data=FORM).status_code == 200
    assert client.post("/sms/inbound", data=FORM).status_code == 200
    rows = db.session.scalars(select(InboundMessage)).all()
    assert [(r.gateway_id, r.text, r.status) for r in rows] == [("ATXid_1", "INFO", "received")]
    assert [job.func_name for job in get_queue(SMS).jobs] == ["workers.sms.handle_inbound"]


def test_missing_field_is_400_and_stores_nothing(app: Flask) -> None:
    form = dict(FORM)
    del form["id"]
    response = app.test_client().post("/sms/inbound", data=form)
    assert response.status_code == 400 and "id" in response.get_json()["missing"]
    assert db.session.scalar(select(func.count()).select_from(InboundMessage)) == 0


def test_concurrent_duplicates_store_one_row(committed_app: Flask) -> None:
    def post(_: int) -> int:
        return committed_app.test_client().post("/sms/inbound", data={**FORM, "id": "ATXid_race"}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(post, range(16))) == {200}
    count = db.session.scalar(select(func.count()).select_from(InboundMessage))
    assert count == 1
    assert len(get_queue(SMS).job_ids) == 1


def test_message_is_kept_when_redis_is_down(app: Flask) -> None:
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    app.extensions.pop("redis", None)
    response = app.test_client().post("/sms/inbound", data={**FORM, "id": "ATXid_noredis"})
    assert response.status_code == 200
    assert db.session.scalar(select(InboundMessage.status).where(InboundMessage.gateway_id == "ATXid_noredis")) == (
        "received"
    )


def test_a_concurrent_burst_over_the_rate_limit_is_all_200_and_marked(committed_app: Flask) -> None:
    def post(n: int) -> int:
        form = {**FORM, "id": f"ATXid_burst{n}", "text": f"LAPOR BANJIR burst {n}"}
        return committed_app.test_client().post("/sms/inbound", data=form).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(post, range(16))) == {200}
    statuses = list(db.session.scalars(select(InboundMessage.status)))
    assert sorted(statuses) == ["rate_limited"] * 6 + ["received"] * 10
    assert len(get_queue(SMS).job_ids) == 10
