"""GET /api/v1/messages: SMS in and out with status; a regency admin sees only their own."""

from __future__ import annotations

from flask import Flask

from bench.registry_data import msisdn
from tests.registry_helpers import add, bearer, make_tokens
from tests.sms_helpers import text_in


def test_messages_in_and_out_filtered_and_scoped(seeded: Flask) -> None:
    add(1, regency="6472")
    add(2, regency="6471")
    tokens = make_tokens()
    text_in(seeded, msisdn(1), "INFO")
    text_in(seeded, msisdn(2), "HELP")
    client = seeded.test_client()
    province = bearer(tokens["province"])
    inbound = client.get("/api/v1/messages?direction=in", headers=province).get_json()
    assert inbound["total"] == 2 and {m["status"] for m in inbound["items"]} == {"handled"}
    local = "0" + msisdn(1).removeprefix("+62")
    out = client.get(f"/api/v1/messages?direction=out&msisdn={local}", headers=province).get_json()
    assert out["total"] == 1 and out["items"][0]["status"] == "not_sent" and out["items"][0]["msisdn"] == msisdn(1)
    samarinda = client.get("/api/v1/messages?direction=in", headers=bearer(tokens["samarinda"])).get_json()
    assert [m["msisdn"] for m in samarinda["items"]] == [msisdn(1)]
    assert client.get("/api/v1/messages").status_code == 401


def test_without_a_direction_both_come_newest_first_and_pins_are_starred(seeded: Flask) -> None:
    add(1, regency="6472")
    tokens = make_tokens()
    text_in(seeded, msisdn(1), "INFO")
    text_in(seeded, msisdn(1), "PIN 1357 2468")
    client = seeded.test_client()
    province = bearer(tokens["province"])
    both = client.get("/api/v1/messages", headers=province).get_json()
    assert both["total"] == 4
    assert sorted(m["direction"] for m in both["items"]) == ["in", "in", "out", "out"]
    assert [m["at"] for m in both["items"]] == sorted((m["at"] for m in both["items"]), reverse=True)
    assert not any("1357" in m["text"] or "2468" in m["text"] for m in both["items"])
    second = client.get("/api/v1/messages?per_page=3&page=2", headers=province).get_json()
    assert second["total"] == 4 and len(second["items"]) == 1
