"""Broadcasts: batches of at most 1,000 numbers, per-recipient status, counts, quiet hours."""

from __future__ import annotations

import json
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Broadcast, Handset, OutboundMessage
from app.models.handset import HandsetStatus
from app.queues import get_queue
from app.seed import REGENCIES
from app.sms.broadcasts import counts, create_broadcast, create_rows, quiet_until
from app.sms.sending import SendLater
from tests.conftest import make_app
from tests.fake_at import FakeAT, Step
from tests.helpers import run_worker_burst
from workers.broadcasts import send_broadcast


def add_handsets(per_regency: int) -> list[str]:
    """`per_regency` active handsets in each of the 14 regencies, inserted in bulk."""
    rows = []
    for r, (code, _, _) in enumerate(REGENCIES):
        for n in range(per_regency):
            serial = r * 10_000 + n
            rows.append(
                {"imei": f"35693803{serial:07d}", "tac": "35693803", "msisdn": f"+62812{serial:07d}",
                 "regency_code": code, "status": HandsetStatus.ACTIVE}
            )  # fmt: skip
    db.session.execute(insert(Handset), rows)
    db.session.commit()
    return [row["msisdn"] for row in rows]


def test_a_broadcast_to_14000_handsets_makes_14_requests(seeded: Flask, fake_at: FakeAT, at_app: Flask) -> None:
    numbers = add_handsets(1000)
    broadcast = create_broadcast("Rapat koordinasi Senin 09.00 WITA.", urgent=True)
    db.session.commit()
    send_broadcast(broadcast.id)
    assert len(fake_at.requests) == 14
    assert all(len(r["to"].split(",")) == 1000 and r["enqueue"] == "1" for r in fake_at.requests)
    assert sorted(fake_at.numbers_sent()) == sorted(numbers)
    assert counts(broadcast.id)["sent"] == 14_000
    db.session.refresh(broadcast)
    assert (broadcast.status, broadcast.recipients) == ("done", 14_000)


def test_each_recipient_has_its_status_and_the_counts_add_up(seeded: Flask, fake_at: FakeAT, at_app: Flask) -> None:
    numbers = add_handsets(2)
    fake_at.codes[numbers[0]] = 403
    fake_at.codes[numbers[1]] = 406
    broadcast = create_broadcast("Uji siaran", regencies=["6401", "6472"], urgent=True)
    db.session.commit()
    send_broadcast(broadcast.id)
    assert [r["to"].count(",") + 1 for r in fake_at.requests] == [4]
    first_id = fake_at.requests[0]["to"].split(",")[-1]
    assert first_id.startswith("+62812")
    report = {"id": "ATXid_fake1", "status": "Success", "phoneNumber": numbers[2]}
    assert at_app.test_client().post("/sms/delivery", data=report).status_code == 200
    assert {k: v for k, v in counts(broadcast.id).items() if v} == {"failed": 2, "sent": 1, "delivered": 1}


def test_a_failed_batch_is_retried_without_resending_the_others(seeded: Flask, fake_at: FakeAT, at_app: Flask) -> None:
    add_handsets(100)  # 1,400 recipients: two requests
    fake_at.script = [Step(), Step(http=500)]
    broadcast = create_broadcast("Siaran", urgent=True)
    db.session.commit()
    with pytest.raises(SendLater):
        send_broadcast(broadcast.id)
    assert counts(broadcast.id)["queued"] == 400
    send_broadcast(broadcast.id)
    send_broadcast(broadcast.id)  # done: nothing more
    tally = Counter(fake_at.numbers_sent())
    assert len(fake_at.requests) == 3 and len(tally) == 1400 and max(tally.values()) == 2
    assert counts(broadcast.id)["sent"] == 1400


@pytest.mark.parametrize(
    ("utc", "held_until"),
    [
        (datetime(2026, 11, 29, 12, 59, tzinfo=UTC), None),  # 20:59 WITA
        (datetime(2026, 11, 29, 13, 0, tzinfo=UTC), datetime(2026, 11, 29, 22, 0, tzinfo=UTC)),  # 21:00 WITA
        (datetime(2026, 11, 29, 20, 0, tzinfo=UTC), datetime(2026, 11, 29, 22, 0, tzinfo=UTC)),  # 04:00 WITA
        (datetime(2026, 11, 29, 22, 0, tzinfo=UTC), None),  # 06:00 WITA
    ],
)
def test_quiet_hours_are_21_to_06_wita(utc: datetime, held_until: datetime | None) -> None:
    assert quiet_until(utc) == held_until


def test_a_non_urgent_broadcast_is_held_in_quiet_hours(
    seeded: Flask, fake_at: FakeAT, at_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_handsets(1)
    monkeypatch.setattr("app.sms.broadcasting.utcnow", lambda: datetime(2026, 11, 29, 15, 0, tzinfo=UTC))
    broadcast = create_broadcast("Selamat malam")
    db.session.commit()
    assert "held until 2026-11-29T22:00" in send_broadcast(broadcast.id)
    assert "held until 2026-11-29T22:00" in send_broadcast(broadcast.id)  # e.g. the sweeper's run
    assert get_queue("bulk").scheduled_job_registry.get_job_ids() == [f"broadcast-{broadcast.id}-held-20261129"]
    assert fake_at.requests == [] and db.session.get(Broadcast, broadcast.id).status == "held"  # type: ignore[union-attr]
    monkeypatch.setattr("app.sms.broadcasting.utcnow", lambda: datetime(2026, 11, 29, 22, 0, tzinfo=UTC))
    send_broadcast(broadcast.id)
    assert len(fake_at.numbers_sent()) == 14


def test_flask_broadcast_to_a_list_then_show(seeded: Flask) -> None:
    runner = seeded.test_cli_runner()
    result = runner.invoke(
        args=["broadcast", "Uji coba", "--to", "0812-3456-7890", "--to", "+6281350000002", "--urgent"]
    )
    assert result.exit_code == 0, result.output
    broadcast_id = int(result.output.split()[1])
    run_worker_burst(seeded)
    shown = runner.invoke(args=["broadcast", "--show", str(broadcast_id)])
    data = json.loads(shown.output)
    assert data["status"] == "done" and data["recipients"] == 2 and data["counts"]["not_sent"] == 2


def test_flask_broadcast_refuses_a_bad_number(seeded: Flask) -> None:
    result = seeded.test_cli_runner().invoke(args=["broadcast", "Uji", "--to", "0541-123456"])
    assert result.exit_code == 1 and "not an Indonesian mobile number" in result.output


def test_a_broadcast_queued_while_redis_is_down_is_started_by_the_sweeper(seeded: Flask) -> None:
    from app.models.base import utcnow
    from workers.sms_sweepers import sweep_broadcasts

    seeded.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    seeded.extensions.pop("redis", None)
    result = seeded.test_cli_runner().invoke(args=["broadcast", "Uji", "--to", "+6281350000002", "--urgent"])
    assert result.exit_code == 0 and "sweeper" in result.output
    seeded.config["REDIS_URL"] = make_app.__globals__["TEST_REDIS_URL"]
    seeded.extensions.pop("redis", None)
    db.session.execute(update(Broadcast).values(created_at=utcnow() - timedelta(minutes=5)))
    db.session.commit()
    assert sweep_broadcasts() == 1
    run_worker_burst(seeded)
    assert counts(db.session.scalars(select(Broadcast.id)).one())["not_sent"] == 1


def test_a_held_broadcast_whose_scheduled_job_was_lost_is_restarted(seeded: Flask) -> None:
    from workers.sms_sweepers import sweep_broadcasts

    broadcast = create_broadcast("Selamat pagi", numbers=["+6281350000002"])
    broadcast.status, broadcast.not_before = "held", datetime(2026, 1, 1, 22, 0, tzinfo=UTC)
    db.session.commit()
    assert sweep_broadcasts() == 1
    assert "broadcast-" + str(broadcast.id) in get_queue("bulk").job_ids


def rows_of(broadcast_id: int) -> list[str]:
    query = select(OutboundMessage.to).where(OutboundMessage.broadcast_id == broadcast_id)
    return sorted(db.session.scalars(query))


def test_a_retry_of_a_sending_broadcast_in_quiet_hours_is_not_held(
    seeded: Flask, fake_at: FakeAT, at_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    numbers = add_handsets(1)
    fake_at.script = [Step(http=500)]
    monkeypatch.setattr("app.sms.broadcasting.utcnow", lambda: datetime(2026, 11, 29, 12, 59, tzinfo=UTC))  # 20:59
    broadcast = create_broadcast("Siaran sore")
    db.session.commit()
    with pytest.raises(SendLater):
        send_broadcast(broadcast.id)
    assert db.session.get(Broadcast, broadcast.id).status == "sending"  # type: ignore[union-attr]
    monkeypatch.setattr("app.sms.broadcasting.utcnow", lambda: datetime(2026, 11, 29, 13, 5, tzinfo=UTC))  # 21:05
    assert "handed to the gateway" in send_broadcast(broadcast.id)
    assert get_queue("bulk").scheduled_job_registry.count == 0
    assert rows_of(broadcast.id) == sorted(numbers)
    assert counts(broadcast.id)["sent"] == 14
    assert db.session.get(Broadcast, broadcast.id).status == "done"  # type: ignore[union-attr]


def test_two_concurrent_starts_create_one_set_of_rows(committed_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    numbers = ["+6281350000001", "+6281350000002", "+6281350000003"]
    broadcast = create_broadcast("Siaran", numbers=numbers)
    db.session.commit()
    broadcast_id = broadcast.id
    db.session.close()  # hold no SQLite snapshot open while the threads write
    both_saw_pending = threading.Barrier(2, timeout=10)

    def daytime(now: datetime) -> None:
        both_saw_pending.wait()  # both runs have read `pending` before either starts it
        return None

    monkeypatch.setattr("app.sms.broadcasting.quiet_until", daytime)

    def run(_: int) -> str:
        with committed_app.app_context():
            return send_broadcast(broadcast_id)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run, range(2)))
    assert sorted(r.split(": ")[1].split()[0] for r in results) == ["3", "started"]
    assert rows_of(broadcast_id) == numbers


def test_a_recipient_row_cannot_be_created_twice(seeded: Flask) -> None:
    broadcast = create_broadcast("Siaran", numbers=["+6281350000001"])
    create_rows(broadcast)
    db.session.commit()
    with pytest.raises(IntegrityError):
        create_rows(broadcast)
        db.session.flush()
    db.session.rollback()
