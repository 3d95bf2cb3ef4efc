"""Handset operations through the service layer: rules, scope, audit, cache invalidation."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Handset
from app.registry import service
from app.registry.audit import CLI, Actor
from app.registry.errors import Conflict, Forbidden, NotFound, RuleError
from app.registry.lookup import handset_for_msisdn
from app.registry.officials import NewOfficial, update_official
from bench.registry_data import imei, msisdn, nip
from tests.registry_helpers import add, audit_actions

SAMARINDA = Actor("admin:smd", "6472")


def test_add_with_a_number_makes_an_active_handset_and_audits_it(seeded: Flask) -> None:
    added = add(1, regency="Samarinda")
    assert added.activation_code is None
    handset = added.handset
    assert (handset.status, handset.msisdn, handset.tac, handset.regency_code) == (
        "active",
        msisdn(1),
        imei(1)[:8],
        "6472",
    )
    assert audit_actions() == ["official.add", "handset.add"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "handset.add"))
    assert event is not None and event.actor == "cli" and event.before is None
    assert event.after is not None and event.after["msisdn"] == msisdn(1)


def test_add_without_a_number_waits_for_activation(seeded: Flask) -> None:
    added = add(2, number=None)
    assert added.handset.status == "provisioned"
    assert added.activation_code is not None and len(added.activation_code) == 6


def test_add_refuses_a_taken_imei_number_or_nip(seeded: Flask) -> None:
    add(1)
    with pytest.raises(Conflict) as caught:
        add(1, number=msisdn(50))
    assert caught.value.field == "imei"
    with pytest.raises(Conflict) as caught:
        add(2, number=msisdn(1))
    assert caught.value.field == "msisdn"
    with pytest.raises(Conflict) as caught:
        service.add_handset(CLI, imei=imei(3), regency="6472", official=NewOfficial("X Y", nip(1)))
    assert caught.value.field == "nip"
    assert db.session.scalar(select(Handset).where(Handset.imei == imei(3))) is None


def test_add_refuses_bad_inputs_with_the_field(seeded: Flask) -> None:
    bad = {"imei": "123456789012347", "regency": "Jakarta", "msisdn": "0541 741234"}
    for field, value in bad.items():
        kwargs = {"imei": imei(1), "regency": "6472", "msisdn": msisdn(1)} | {field: value}
        with pytest.raises(RuleError) as caught:
            service.add_handset(CLI, official=NewOfficial("A B", nip(1)), **kwargs)
        assert caught.value.field == field


def test_block_drops_the_cached_caller_at_once(seeded: Flask) -> None:
    add(1)
    assert handset_for_msisdn(msisdn(1)).status == "active"  # type: ignore[union-attr]
    service.block(CLI, imei(1), "stolen")
    caller = handset_for_msisdn(msisdn(1))
    assert caller is not None and caller.status == "blocked"
    assert audit_actions(imei(1))[-1] == "handset.block"


def test_unblock_swap_and_retire(seeded: Flask) -> None:
    add(1)
    service.block(CLI, imei(1), "lost")
    assert service.unblock(CLI, imei(1)).status == "active"
    handset_for_msisdn(msisdn(1))  # cache the old number
    service.swap_sim(CLI, imei(1), "0812-9999-0001")
    assert handset_for_msisdn(msisdn(1)) is None
    assert handset_for_msisdn("+6281299990001") is not None
    service.retire(CLI, imei(1))
    assert handset_for_msisdn("+6281299990001") is None
    with pytest.raises(Conflict):
        service.block(CLI, imei(1), "lost")
    expected = ["handset.add", "handset.block", "handset.unblock", "handset.swap_sim", "handset.retire"]
    assert audit_actions(imei(1)) == expected


def test_swap_refuses_a_number_on_another_active_handset(seeded: Flask) -> None:
    add(1)
    add(2)
    with pytest.raises(Conflict):
        service.swap_sim(CLI, imei(2), msisdn(1))


def test_unblock_refuses_when_the_number_went_to_another_handset(seeded: Flask) -> None:
    add(1)
    service.block(CLI, imei(1), "lost")
    add(2, number=msisdn(1))  # the SIM was reissued to a replacement handset
    with pytest.raises(Conflict):
        service.unblock(CLI, imei(1))


def test_a_regency_actor_cannot_see_or_touch_another_regency(seeded: Flask) -> None:
    add(1, regency="6471")
    for action in (
        lambda: service.block(SAMARINDA, imei(1), "lost"),
        lambda: service.swap_sim(SAMARINDA, imei(1), msisdn(9)),
        lambda: service.update_handset(SAMARINDA, imei(1), regency="6472"),
    ):
        with pytest.raises(NotFound):
            action()
    with pytest.raises(NotFound):  # not 403: another regency is not even there for this actor
        add(2, regency="6471", actor=SAMARINDA)
    assert add(3, actor=SAMARINDA).handset.regency_code == "6472"


def test_a_viewer_cannot_change_anything(seeded: Flask) -> None:
    add(1)
    with pytest.raises(Forbidden):
        service.block(Actor("admin:v", None, read_only=True), imei(1), "lost")


def test_moving_an_official_moves_their_handsets_and_refreshes_the_cache(seeded: Flask) -> None:
    added = add(1)
    assert added.handset.official_id is not None
    handset_for_msisdn(msisdn(1))
    with pytest.raises(Forbidden):
        update_official(SAMARINDA, added.handset.official_id, regency_code="6471")
    update_official(CLI, added.handset.official_id, name="Petugas Baru", regency_code="6471")
    caller = handset_for_msisdn(msisdn(1))
    assert caller is not None and (caller.official_name, caller.regency_code) == ("Petugas Baru", "6471")
    assert audit_actions(str(added.handset.official_id))[-1] == "official.update"
