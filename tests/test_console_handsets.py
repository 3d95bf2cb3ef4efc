"""Console handsets: list, search, filters, pages, one handset, actions, provisioning; roles and regencies."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Handset, InboundMessage, Official
from app.registry.rules import clean_imei
from bench.registry_data import imei, msisdn, nip
from tests.console_helpers import make_admins, post, signed_in
from tests.registry_helpers import add

# Handsets 1-3 are Samarinda's (6472), 4 is Balikpapan's (6471), 5 waits for AKTIF in Samarinda.


@pytest.fixture
def handsets(seeded: Flask) -> Flask:
    make_admins()
    for n in (1, 2, 3):
        add(n, regency="6472")
    add(4, regency="6471")
    add(5, regency="6472", number=None)
    return seeded


def client_of(app: Flask, username: str) -> FlaskClient:
    return signed_in(app.test_client(), username)


def text(response: object) -> str:
    return response.get_data(as_text=True)  # type: ignore[attr-defined, no-any-return]


def last_event() -> AuditEvent:
    event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    assert event is not None
    return event


def test_province_admin_lists_every_regency(handsets: Flask) -> None:
    page = text(client_of(handsets, "prov").get("/console/handsets"))
    for n in (1, 2, 3, 4, 5):
        assert imei(n) in page
    assert "5 data" in page and "Daftarkan ponsel" in page


@pytest.mark.parametrize(
    "query",
    [imei(2), imei(2)[-6:], msisdn(2), "0" + msisdn(2)[3:], "petugas 2", nip(2)],
    ids=["imei", "imei-part", "e164", "local-number", "name", "nip"],
)
def test_search_finds_by_imei_number_name_or_nip(handsets: Flask, query: str) -> None:
    page = text(client_of(handsets, "prov").get("/console/handsets", query_string={"q": query}))
    assert imei(2) in page and imei(1) not in page and imei(3) not in page


def test_filters_by_status_and_regency(handsets: Flask) -> None:
    client = client_of(handsets, "prov")
    waiting = text(client.get("/console/handsets?status=provisioned"))
    assert imei(5) in waiting and imei(1) not in waiting
    balikpapan = text(client.get("/console/handsets?regency=6471"))
    assert imei(4) in balikpapan and imei(1) not in balikpapan
    nonsense = client.get("/console/handsets?status=zzz&regency=9999&page=abc&per_page=7")
    assert nonsense.status_code == 200 and imei(1) in text(nonsense)


def test_pages_of_twenty_five(handsets: Flask) -> None:
    for n in range(10, 40):
        add(n, regency="6472")
    client = client_of(handsets, "prov")
    first = text(client.get("/console/handsets?per_page=25"))
    assert "35 data" in first and "halaman 1 dari 2" in first and imei(39) in first and imei(1) not in first
    second = text(client.get("/console/handsets?per_page=25&page=2"))
    assert imei(1) in second and imei(39) not in second
    assert "page=1" in second  # a link back


def test_regency_admin_sees_its_own_regency_only(handsets: Flask) -> None:
    client = client_of(handsets, "smd")
    page = text(client.get("/console/handsets"))
    assert imei(1) in page and imei(4) not in page
    assert imei(4) not in text(client.get("/console/handsets?regency=6471"))
    assert "Tidak ada ponsel yang cocok" in text(client.get("/console/handsets", query_string={"q": imei(4)}))
    assert client.get(f"/console/handsets/{imei(1)}").status_code == 200
    assert client.get(f"/console/handsets/{imei(4)}").status_code == 404


def test_regency_admin_cannot_act_on_another_regencys_handset(handsets: Flask) -> None:
    client = client_of(handsets, "smd")
    for action, data in (("block", {"reason": "lost"}), ("unblock", {}), ("swap-sim", {"msisdn": msisdn(60)}),
                         ("retire", {}), ("activation-code", {})):  # fmt: skip
        assert post(client, f"/console/handsets/{imei(4)}/{action}", data).status_code == 404
    handset = db.session.scalar(select(Handset).where(Handset.imei == imei(4)))
    assert handset is not None and handset.status == "active"


def test_viewer_sees_no_actions_and_may_not_post_them(handsets: Flask) -> None:
    client = client_of(handsets, "lihat")
    assert imei(4) in text(client.get("/console/handsets"))  # a province-wide viewer reads everything
    page = text(client.get(f"/console/handsets/{imei(1)}"))
    assert "Blokir ponsel" not in page and "Ganti SIM" not in page and "Daftarkan ponsel" not in page
    assert post(client, f"/console/handsets/{imei(1)}/block", {"reason": "lost"}).status_code == 403
    assert client.get("/console/handsets/new").status_code == 403
    handset = db.session.scalar(select(Handset).where(Handset.imei == imei(1)))
    assert handset is not None and handset.status == "active"


def test_block_then_unblock_through_the_service_with_audit(handsets: Flask) -> None:
    client = client_of(handsets, "smd")
    response = post(client, f"/console/handsets/{imei(1)}/block", {"reason": "stolen"})
    assert response.status_code == 302 and response.headers["Location"] == f"/console/handsets/{imei(1)}"
    event = last_event()
    assert (event.actor, event.action, event.after["status"]) == ("admin:smd", "handset.block", "blocked")  # type: ignore[index]
    page = text(client.get(f"/console/handsets/{imei(1)}"))
    assert "Ponsel diblokir." in page and "Diblokir (dicuri)" in page and "handset.block" in page
    post(client, f"/console/handsets/{imei(1)}/unblock")
    assert last_event().action == "handset.unblock"


def test_refused_actions_show_the_services_reason(handsets: Flask) -> None:
    client = client_of(handsets, "smd")
    post(client, f"/console/handsets/{imei(1)}/unblock")
    assert "tidak sedang diblokir" in text(client.get(f"/console/handsets/{imei(1)}"))
    post(client, f"/console/handsets/{imei(1)}/swap-sim", {"msisdn": "0541 123456"})
    assert "bukan nomor HP" in text(client.get(f"/console/handsets/{imei(1)}"))
    post(client, f"/console/handsets/{imei(1)}/block", {"reason": "dimakan"})
    assert "reason must be one of" in text(client.get(f"/console/handsets/{imei(1)}"))


def test_swap_sim_and_retire(handsets: Flask) -> None:
    client = client_of(handsets, "prov")
    post(client, f"/console/handsets/{imei(2)}/swap-sim", {"msisdn": "0812-5555-0101"})
    handset = db.session.scalar(select(Handset).where(Handset.imei == imei(2)))
    assert handset is not None and handset.msisdn == "+6281255550101"
    post(client, f"/console/handsets/{imei(2)}/retire")
    assert handset.status == "retired" and last_event().action == "handset.retire"
    assert "Blokir ponsel" not in text(client.get(f"/console/handsets/{imei(2)}"))


def test_new_activation_code_is_shown_once(handsets: Flask) -> None:
    client = client_of(handsets, "smd")
    response = post(client, f"/console/handsets/{imei(5)}/activation-code")
    assert response.status_code == 200 and "hanya ditampilkan sekali" in text(response)
    assert "Set-Cookie" not in response.headers or "activation" not in response.headers["Set-Cookie"]
    assert "hanya ditampilkan sekali" not in text(client.get(f"/console/handsets/{imei(5)}"))
    assert last_event().action == "handset.activation_issued"


def test_handset_page_shows_last_messages_starred(handsets: Flask) -> None:
    db.session.add(InboundMessage(gateway_id="g-1", sender=msisdn(1), text="PIN 1234 5678", regency_code="6472"))
    db.session.commit()
    response = client_of(handsets, "smd").get(f"/console/handsets/{imei(1)}")  # a regency admin
    assert response.status_code == 200
    page = text(response)
    assert "1234" not in page and "PIN **** ****" in page


def test_provision_with_number(handsets: Flask) -> None:
    client = client_of(handsets, "smd")
    data = {"imei": imei(70), "regency": "6472", "msisdn": msisdn(70), "official_name": "Ani Lestari",
            "nip": nip(70), "position": "Lurah", "language": "id"}  # fmt: skip
    response = post(client, "/console/handsets/new", data, page="/console/handsets/new")
    assert response.status_code == 201 and "Ponsel terdaftar" in text(response)
    assert "Kode aktivasi" not in text(response)
    assert last_event().actor == "admin:smd"


def test_provision_without_number_shows_the_code_once(handsets: Flask) -> None:
    client = client_of(handsets, "prov")
    data = {"imei": imei(71), "regency": "6471", "official_name": "Budi", "nip": nip(71), "language": "en"}
    response = post(client, "/console/handsets/new", data, page="/console/handsets/new")
    assert response.status_code == 201 and "hanya ditampilkan sekali" in text(response)


def test_provision_refusals_use_the_registry_messages(handsets: Flask) -> None:
    client = client_of(handsets, "smd")
    bad = imei(72)[:-1] + str((int(imei(72)[-1]) + 1) % 10)
    data = {"imei": bad, "regency": "6472", "official_name": "Ani", "nip": nip(72), "language": "id"}
    response = post(client, "/console/handsets/new", data, page="/console/handsets/new")
    assert response.status_code == 422 and "Digit pemeriksa IMEI salah" in text(response)
    response = post(client, "/console/handsets/new", data | {"imei": imei(1)}, page="/console/handsets/new")
    assert response.status_code == 409 and "IMEI sudah terdaftar" in text(response)
    other = data | {"imei": imei(73), "regency": "6471"}  # not among a Samarinda admin's choices
    assert post(client, "/console/handsets/new", other, page="/console/handsets/new").status_code == 400


def test_imei_check_as_you_type(handsets: Flask) -> None:
    client = client_of(handsets, "smd")
    assert "15 digit, bukan 5" in text(client.get("/console/handsets/check-imei?imei=35693"))
    assert "sudah terdaftar" in text(client.get(f"/console/handsets/check-imei?imei={imei(1)}"))
    good = text(client.get(f"/console/handsets/check-imei?imei={imei(80)}"))
    assert "valid" in good and clean_imei(imei(80)) in good


def test_handset_page_hides_a_holder_of_another_regency(handsets: Flask) -> None:
    official = db.session.scalar(select(Official).where(Official.name == "Petugas 1"))
    assert official is not None
    official.regency_code = "6471"  # moved to Balikpapan; the Samarinda handset still names them
    db.session.commit()
    for username in ("smd", "prov"):
        page = text(client_of(handsets, username).get(f"/console/handsets/{imei(1)}"))
        assert "Petugas 1" not in page and nip(1) not in page, username
    assert "Petugas 2" in text(client_of(handsets, "smd").get(f"/console/handsets/{imei(2)}"))


def test_a_refused_change_is_flashed_but_out_of_scope_stays_404(handsets: Flask) -> None:
    from flask import get_flashed_messages

    from app.console.handsets import STATUS_LABELS
    from app.console.pages import flash_error
    from app.models.handset import HandsetStatus
    from app.registry.errors import Conflict, NotFound

    assert set(STATUS_LABELS) == set(HandsetStatus)
    with handsets.test_request_context("/console/handsets"):
        with pytest.raises(NotFound):
            flash_error(NotFound("Ponsel tidak ditemukan / handset not found."))
        flash_error(Conflict("Nomor sudah dipakai / number in use."))
        assert get_flashed_messages(with_categories=True) == [("error", "Nomor sudah dipakai / number in use.")]
