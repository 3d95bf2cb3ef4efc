"""Console broadcasts: compose, confirm, send through the service; regency admins only to their own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Broadcast
from menus import gsm7
from tests.console_helpers import make_admins, post, signed_in
from tests.registry_helpers import add

PAGE = "/console/broadcasts"


@pytest.fixture
def handsets(seeded: Flask) -> Flask:
    make_admins()
    for n in (1, 2):
        add(n, regency="6472")
    add(4, regency="6471")
    return seeded


def client_of(app: Flask, username: str) -> FlaskClient:
    return signed_in(app.test_client(), username)


def text(response: object) -> str:
    return response.get_data(as_text=True)  # type: ignore[attr-defined, no-any-return]


def broadcasts() -> list[Broadcast]:
    return list(db.session.scalars(select(Broadcast).order_by(Broadcast.id)))


def test_confirmation_shows_text_as_sent_parts_and_recipients(handsets: Flask) -> None:
    client = client_of(handsets, "prov")
    response = post(client, PAGE, {"text": "Rapat “penting” besok — hadir", "regencies": ["6472"]}, page=PAGE)
    page = text(response)
    assert response.status_code == 200 and "Periksa siaran" in page
    assert "Rapat &#34;penting&#34; besok - hadir" in page  # transliterated as the server sends it
    assert "2 ponsel aktif di Samarinda" in page and "1 SMS, GSM-7" in page
    assert broadcasts() == []  # nothing sent before the confirmation


def test_confirmed_broadcast_goes_through_the_service_and_is_audited(handsets: Flask) -> None:
    client = client_of(handsets, "smd")
    data = {"text": "Banjir: laporkan genangan", "regencies": ["6472"], "confirmed": "y"}
    response = post(client, PAGE, data, page=PAGE)
    [sent] = broadcasts()
    assert response.status_code == 302 and response.headers["Location"] == f"/console/broadcasts/{sent.id}"
    assert (sent.regencies, sent.created_by) == ("6472", "admin:smd")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "broadcast.create"))
    assert event is not None and event.regency_code == "6472"
    page = text(client.get(f"/console/broadcasts/{sent.id}"))
    assert "Banjir: laporkan genangan" in page and "Sampai" in page
    assert "Antre" in text(client.get(f"/console/broadcasts/{sent.id}/counts"))


def test_regency_admin_sends_only_to_its_own_regency(handsets: Flask) -> None:
    client = client_of(handsets, "smd")
    page = text(client.get(PAGE))
    assert 'value="6472"' in page and 'value="6471"' not in page
    data = {"text": "Halo", "regencies": ["6471"], "confirmed": "y"}
    assert post(client, PAGE, data, page=PAGE).status_code == 400  # not among its choices
    assert broadcasts() == []


def test_regency_admin_sees_its_own_regencys_broadcasts_only(handsets: Flask) -> None:
    prov = client_of(handsets, "prov")
    post(prov, PAGE, {"text": "Untuk Balikpapan", "regencies": ["6471"], "confirmed": "y"}, page=PAGE)
    [other] = broadcasts()
    smd = client_of(handsets, "smd")
    assert "Untuk Balikpapan" not in text(smd.get(PAGE))
    assert smd.get(f"/console/broadcasts/{other.id}").status_code == 404
    assert "Untuk Balikpapan" in text(prov.get(PAGE))


def test_viewer_may_read_but_not_compose(handsets: Flask) -> None:
    client = client_of(handsets, "lihat")
    page = text(client.get(PAGE))
    assert "Tulis siaran" not in page
    assert post(client, PAGE, {"text": "x", "regencies": ["6472"], "confirmed": "y"}).status_code == 403
    assert broadcasts() == []


def test_refusals_are_shown_with_the_form(handsets: Flask) -> None:
    client = client_of(handsets, "prov")
    missing = post(client, PAGE, {"text": "Halo semua"}, page=PAGE)
    assert missing.status_code == 400 and "Pilih minimal satu kab/kota" in text(missing)
    long = post(client, PAGE, {"text": "x" * 500, "regencies": ["6472"], "confirmed": "y"}, page=PAGE)
    assert long.status_code == 422 and "longer than 3 SMS parts" in text(long)
    assert broadcasts() == []


def test_gsm7_js_tables_are_the_servers() -> None:
    """The counter's JavaScript port carries the same tables as menus/gsm7.py."""
    import json

    source = (Path(__file__).parent.parent / "app/console/static/console/gsm7.js").read_text()

    def table(name: str) -> object:
        match = re.search(rf"var {name} = (.*);\n", source)
        assert match, name
        return json.loads(match.group(1))

    assert table("BASIC") == gsm7.BASIC
    assert table("EXTENDED") == gsm7.EXTENDED
    assert table("TRANSLITERATE") == gsm7.TRANSLITERATE
