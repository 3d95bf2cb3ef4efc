"""Console officials (edit, reset PIN), admins (province only), audit log and messages; roles and regencies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import Admin, AuditEvent, InboundMessage, Official, OutboundMessage
from app.models.base import utcnow
from app.security.pins import MAX_FAILURES, locked_until, set_pin, verify_pin
from bench.registry_data import imei, msisdn
from tests.console_helpers import make_admins, post, signed_in
from tests.registry_helpers import add


@pytest.fixture
def registry(seeded: Flask) -> Flask:
    make_admins()
    add(1, regency="6472")
    add(4, regency="6471")
    return seeded


def client_of(app: Flask, username: str) -> FlaskClient:
    return signed_in(app.test_client(), username)


def text(response: object) -> str:
    return response.get_data(as_text=True)  # type: ignore[attr-defined, no-any-return]


def official_of(n: int) -> Official:
    found = db.session.scalar(select(Official).where(Official.name == f"Petugas {n}"))
    assert found is not None
    return found


def last_event() -> AuditEvent:
    event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    assert event is not None
    return event


# Officials


def test_officials_list_and_search_by_regency_scope(registry: Flask) -> None:
    assert "Petugas 4" in text(client_of(registry, "prov").get("/console/officials"))
    client = client_of(registry, "smd")
    page = text(client.get("/console/officials"))
    assert "Petugas 1" in page and "Petugas 4" not in page
    assert "Petugas 1" in text(client.get("/console/officials?q=petugas"))
    assert client.get(f"/console/officials/{official_of(4).id}").status_code == 404
    assert client.get("/console/officials/99999999999999999999").status_code == 404


def test_edit_official_through_the_service(registry: Flask) -> None:
    client = client_of(registry, "smd")
    official = official_of(1)
    url = f"/console/officials/{official.id}"
    response = post(client, url, {"name": "Petugas Satu", "position": "Lurah", "language": "en"}, page=url)
    assert response.status_code == 302
    assert (official.name, official.position, official.language) == ("Petugas Satu", "Lurah", "en")
    assert last_event().action == "official.update" and last_event().actor == "admin:smd"
    refused = post(client, url, {"name": "x", "position": "", "language": "id"}, page=url)
    assert refused.status_code == 422 and "Nama wajib diisi" in text(refused)


def test_regency_admin_cannot_edit_another_regencys_official(registry: Flask) -> None:
    client = client_of(registry, "smd")
    other = official_of(4)
    url = f"/console/officials/{other.id}"
    assert post(client, url, {"name": "Diubah", "language": "id"}).status_code == 404
    assert post(client, url + "/reset-pin").status_code == 404
    assert other.name == "Petugas 4"


def test_reset_pin_clears_the_pin_the_lockout_and_the_cache(registry: Flask) -> None:
    official = official_of(1)
    set_pin(official, "2580")
    db.session.commit()
    for _ in range(MAX_FAILURES):
        verify_pin(official.id, official.pin_hash, "0000")
    assert locked_until(official.id) is not None
    client = client_of(registry, "smd")
    response = post(client, f"/console/officials/{official.id}/reset-pin")
    assert response.status_code == 302
    assert official.pin_hash is None and last_event().action == "official.pin_reset"
    assert locked_until(official.id) is None
    assert "PIN direset" in text(client.get(f"/console/officials/{official.id}"))


def test_viewer_sees_officials_without_forms(registry: Flask) -> None:
    client = client_of(registry, "lihat")
    official = official_of(1)
    page = text(client.get(f"/console/officials/{official.id}"))
    assert "Petugas 1" in page and "Reset PIN" not in page and "Simpan" not in page
    assert post(client, f"/console/officials/{official.id}/reset-pin").status_code == 403
    assert post(client, f"/console/officials/{official.id}", {"name": "Z z", "language": "id"}).status_code == 403


# Admins


def test_only_province_admins_see_and_use_the_admins_page(registry: Flask) -> None:
    for username in ("smd", "lihat"):
        client = client_of(registry, username)
        assert client.get("/console/admins").status_code == 403
        assert "/console/admins" not in text(client.get("/console/handsets"))
        assert post(client, "/console/admins", {"username": "x-new", "role": "viewer"}).status_code == 403
    assert "Buat admin" in text(client_of(registry, "prov").get("/console/admins"))


def test_create_admin_shows_the_token_once(registry: Flask) -> None:
    client = client_of(registry, "prov")
    data = {"username": "kutai", "role": "regency", "regency": "6403", "password": "kata-sandi-99"}
    response = post(client, "/console/admins", data, page="/console/admins")
    assert response.status_code == 201 and "mlk_" in text(response)
    assert "mlk_" not in text(client.get("/console/admins"))
    assert last_event().action == "admin.create"
    refused = post(client, "/console/admins", data | {"username": "kutai2", "regency": ""}, page="/console/admins")
    assert refused.status_code == 422 and "needs a regency" in text(refused)


def test_role_password_token_and_deactivation(registry: Flask) -> None:
    client = client_of(registry, "prov")
    admin = db.session.scalar(select(Admin).where(Admin.username == "bpn"))
    assert admin is not None
    post(client, f"/console/admins/{admin.id}/role", {"role": "viewer", "regency": "6471"}, page="/console/admins")
    assert (admin.role, admin.regency_code) == ("viewer", "6471") and last_event().action == "admin.update"
    post(client, f"/console/admins/{admin.id}/role", {"role": "province", "regency": "6471"}, page="/console/admins")
    assert admin.role == "viewer" and "province admin has no regency" in text(client.get("/console/admins"))
    post(client, f"/console/admins/{admin.id}/password", {"password": "pendek"}, page="/console/admins")
    assert "minimal 8" in text(client.get("/console/admins"))
    token = post(client, f"/console/admins/{admin.id}/token", page="/console/admins")
    assert token.status_code == 201 and "mlk_" in text(token) and last_event().action == "admin.token"
    post(client, f"/console/admins/{admin.id}/deactivate", page="/console/admins")
    assert admin.active is False and last_event().action == "admin.deactivate"
    me = db.session.scalar(select(Admin).where(Admin.username == "prov"))
    assert me is not None
    post(client, f"/console/admins/{me.id}/deactivate", page="/console/admins")
    assert me.active is True


# Audit log


def test_audit_log_filters_and_regency_scope(registry: Flask) -> None:
    prov = client_of(registry, "prov")
    post(prov, f"/console/handsets/{imei(4)}/block", {"reason": "lost"})
    smd = client_of(registry, "smd")
    post(smd, f"/console/handsets/{imei(1)}/block", {"reason": "damaged"})
    everything = text(prov.get("/console/audit"))
    assert imei(1) in everything and imei(4) in everything and "console.login" in everything
    by_smd = text(prov.get("/console/audit?by=smd&action=handset.block"))
    assert imei(1) in by_smd and imei(4) not in by_smd
    assert imei(4) not in text(smd.get("/console/audit"))  # Balikpapan's events are not Samarinda's
    one = text(prov.get(f"/console/audit?object_type=handset&object_id={imei(4)}"))
    assert imei(4) in one and imei(1) not in one
    today = (utcnow() + timedelta(hours=8)).date()
    assert imei(1) in text(prov.get(f"/console/audit?since={today}&until={today}"))
    tomorrow = today + timedelta(days=1)
    assert "Tidak ada kejadian" in text(prov.get(f"/console/audit?since={tomorrow}"))
    assert prov.get("/console/audit?since=kemarin&page=-1").status_code == 200


# Messages


def test_messages_scope_filters_and_redaction(registry: Flask) -> None:
    db.session.add_all(
        [
            InboundMessage(gateway_id="a", sender=msisdn(1), text="AKTIF 356938031000012 834201", regency_code="6472"),
            InboundMessage(gateway_id="b", sender=msisdn(4), text="INFO dari Balikpapan", regency_code="6471"),
            OutboundMessage(
                to=msisdn(1), text="Balasan satu", status="delivered", parts=2, encoding="GSM-7", regency_code="6472"
            ),
            OutboundMessage(
                to=msisdn(4), text="Balasan empat", status="failed", failure_reason="absent", regency_code="6471"
            ),
        ]
    )
    db.session.commit()
    prov = client_of(registry, "prov")
    inbound = text(prov.get("/console/messages?direction=in"))
    assert "834201" not in inbound and "AKTIF" in inbound and "INFO dari Balikpapan" in inbound
    out = text(prov.get("/console/messages?direction=out&status=failed"))
    assert "Balasan empat" in out and "Balasan satu" not in out and "absent" in out
    by_number = text(prov.get("/console/messages", query_string={"direction": "out", "msisdn": "0" + msisdn(1)[3:]}))
    assert "Balasan satu" in by_number and "2 · GSM-7" in by_number and "Balasan empat" not in by_number
    smd = client_of(registry, "smd")
    out_smd = text(smd.get("/console/messages?direction=out"))
    assert "Balasan satu" in out_smd and "Balasan empat" not in out_smd
    in_smd = text(smd.get("/console/messages?direction=in"))
    assert "AKTIF" in in_smd and "INFO dari Balikpapan" not in in_smd
    assert "Balasan satu" in text(prov.get("/console/messages?direction=out&since=2026-01-01&until=2099-01-01"))
    assert "Belum ada pesan" in text(prov.get("/console/messages?direction=out&since=2099-01-01"))


def test_every_page_answers_each_role(registry: Flask) -> None:
    pages = ["/console/handsets", "/console/officials", "/console/messages", "/console/audit", "/console/broadcasts"]
    for username in ("prov", "smd", "lihat"):
        client = client_of(registry, username)
        for url in pages:
            assert client.get(url).status_code == 200, (username, url)
    assert client_of(registry, "smd").get("/console/import").status_code == 200
    assert client_of(registry, "lihat").get("/console/import").status_code == 403
