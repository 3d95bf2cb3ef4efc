"""Crisis Center: a disaster report alerts at once, `OK <ref>` acknowledges, escalation once."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.backoffice.crisis import acknowledge
from app.extensions import db
from app.models import Incident, OutboundMessage
from app.queues import CRISIS, SMS, get_queue
from tests.backoffice_helpers import add_contact, payload
from tests.helpers import run_worker_burst
from workers.crisis import escalate_overdue
from workers.reports import file_report

SAMARINDA_POSKO, PROVINCE_POSKO, KUKAR_POSKO = "+6281250000001", "+6281250000009", "+6281250000003"


def crisis_sms() -> list[OutboundMessage]:
    return list(db.session.scalars(select(OutboundMessage).where(OutboundMessage.kind == "crisis")))


def file_disaster(app: Flask, key: str = "flood-1") -> tuple[str, Incident]:
    add_contact(SAMARINDA_POSKO, "6472")
    add_contact(PROVINCE_POSKO, None, name="Pusdalops Kaltim")
    add_contact(KUKAR_POSKO, "6403")
    ref = file_report(payload(key=key, report_type="bencana"))["ref"]
    return ref, db.session.scalars(select(Incident).where(Incident.ref == ref)).one()


def test_disaster_report_alerts_regency_and_province_on_the_crisis_queue(demo: Flask) -> None:
    ref, incident = file_disaster(demo)
    assert incident.severity == "kritis" and incident.affected == 120
    assert get_queue(CRISIS).job_ids == [f"crisis-alert-{incident.id}"]
    run_worker_burst(demo, (CRISIS,))
    alerts = crisis_sms()
    assert sorted(m.to for m in alerts) == [SAMARINDA_POSKO, PROVINCE_POSKO]  # not Kutai Kartanegara's
    text = alerts[0].text
    for part in (ref, "BANJIR", "Sempaja Utara", "Samarinda", "120 warga", "Siti Rahmawati", f"OK {ref}"):
        assert part in text
    # The alert job run again (a retry after a crash) texts nobody twice.
    from workers.crisis import alert_incident

    assert alert_incident(incident.id) == 0
    assert len(crisis_sms()) == 2


def test_alert_sms_are_sent_from_the_crisis_queue_not_behind_replies(demo: Flask) -> None:
    _, incident = file_disaster(demo)
    run_worker_burst(demo, (CRISIS,))  # a worker on `crisis` alone: the alert job, then its sends
    alerts = crisis_sms()
    assert len(alerts) == 2 and {m.status for m in alerts} == {"not_sent"}  # handed to the (outbox) gateway
    assert not {f"sms-out-{m.id}" for m in alerts} & set(get_queue(SMS).job_ids)  # none behind replies


def test_a_price_report_alerts_nobody(demo: Flask) -> None:
    add_contact(SAMARINDA_POSKO, "6472")
    file_report(payload(key="price-1"))
    assert db.session.scalars(select(Incident)).all() == []
    assert get_queue(CRISIS).count == 0


def test_contact_acknowledges_with_ok_ref(demo: Flask) -> None:
    ref, incident = file_disaster(demo)
    assert "dikonfirmasi" in acknowledge(SAMARINDA_POSKO, f"{ref[:5]}-{ref[5:]}")
    db.session.refresh(incident)
    assert incident.acknowledged_by == SAMARINDA_POSKO and incident.acknowledged_at is not None
    assert "sudah dikonfirmasi oleh " + SAMARINDA_POSKO in acknowledge(PROVINCE_POSKO, ref)


def test_other_regencys_contact_and_strangers_cannot_acknowledge(demo: Flask) -> None:
    ref, incident = file_disaster(demo)
    assert "tidak ditemukan" in acknowledge(KUKAR_POSKO, ref)
    assert "bukan kontak" in acknowledge("+6281399999999", ref)
    assert "tidak ditemukan" in acknowledge(SAMARINDA_POSKO, "12345")
    db.session.refresh(incident)
    assert incident.acknowledged_at is None


def test_unacknowledged_incident_is_escalated_to_the_province_once(demo: Flask) -> None:
    ref, incident = file_disaster(demo)
    before = len(crisis_sms())
    assert escalate_overdue((incident.created_at + timedelta(seconds=899)).isoformat()) == []
    later = incident.created_at + timedelta(seconds=901)
    assert escalate_overdue(later.isoformat()) == [ref]
    assert escalate_overdue((later + timedelta(hours=1)).isoformat()) == []
    escalations = crisis_sms()[before:]
    assert [m.to for m in escalations] == [PROVINCE_POSKO]
    assert escalations[0].text.startswith("ESKALASI") and ref in escalations[0].text
    db.session.refresh(incident)
    assert incident.escalated_at == later


def test_acknowledged_incident_is_not_escalated(demo: Flask) -> None:
    ref, incident = file_disaster(demo)
    acknowledge(SAMARINDA_POSKO, ref)
    assert escalate_overdue((incident.created_at + timedelta(hours=2)).isoformat()) == []


def test_escalation_is_scheduled_when_the_incident_is_filed(demo: Flask) -> None:
    _, incident = file_disaster(demo)
    scheduled = get_queue(CRISIS).scheduled_job_registry.get_job_ids()
    assert scheduled == [f"crisis-escalate-{incident.id}"]


def test_escalate_after_is_configurable(demo: Flask) -> None:
    demo.config["CRISIS_ESCALATE_AFTER"] = 60
    ref, incident = file_disaster(demo)
    assert escalate_overdue((incident.created_at + timedelta(seconds=61)).isoformat()) == [ref]


def test_ok_ref_from_a_contact_acknowledges(demo: Flask) -> None:
    from app.backoffice.crisis import acknowledge

    ref, incident = file_disaster(demo)
    assert "dikonfirmasi" in acknowledge(PROVINCE_POSKO, ref)
    db.session.refresh(incident)
    assert incident.acknowledged_by == PROVINCE_POSKO


def test_a_rerun_after_a_lost_alert_enqueues_it_again(demo: Flask) -> None:
    body = payload(key="flood-lost", report_type="bencana")
    file_report(body)
    get_queue(CRISIS).empty()  # Redis lost the alert job (or the worker died before enqueueing it)
    assert file_report(body)["created"] is False
    assert len(get_queue(CRISIS).job_ids) == 1


def test_the_escalation_sweep_is_a_periodic_job_on_the_crisis_queue(demo: Flask) -> None:
    from app.periodic import enqueue_due

    assert "crisis-escalate" in enqueue_due(demo)
    assert [j.func_name for j in get_queue(CRISIS).jobs] == ["workers.crisis.escalate_overdue"]
    assert "crisis-escalate" not in enqueue_due(demo)  # once per interval across all workers


def test_an_incident_with_nobody_to_alert_is_logged_as_an_error(demo: Flask, caplog: pytest.LogCaptureFixture) -> None:
    ref = file_report(payload(key="flood-nobody", report_type="bencana"))["ref"]  # no crisis contacts at all
    incident = db.session.scalars(select(Incident).where(Incident.ref == ref)).one()
    with caplog.at_level(logging.ERROR, logger="app.backoffice.crisis"):
        run_worker_burst(demo, (CRISIS,))
        assert escalate_overdue((incident.created_at + timedelta(hours=2)).isoformat()) == [ref]
    messages = [r.getMessage() for r in caplog.records if r.name == "app.backoffice.crisis"]
    assert messages == ["crisis: no contact to alert", "crisis: no province contact to escalate to"]
