"""SMS_GATEWAY=kannel: its settings from the environment, and production's refusals."""

from __future__ import annotations

import pytest

from app import create_app
from app.config import ConfigError
from app.gateways import get_gateway
from app.gateways.kannel import KannelGateway

PROD = {
    "MELEK_ENV": "production",
    "SECRET_KEY": "a-long-random-production-secret",
    "PIN_PEPPER": "a-long-random-production-pepper",
    "WEBHOOK_TOKEN": "a-long-random-webhook-token",
}
KANNEL = {
    "SMS_GATEWAY": "kannel",
    "KANNEL_SENDSMS_URL": "http://127.0.0.1:13013/cgi-bin/sendsms",
    "KANNEL_USERNAME": "melek",
    "KANNEL_PASSWORD": "sendsms-password",
    "KANNEL_CALLBACK_URL": "http://127.0.0.1:8000",
}


def test_the_kannel_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (KANNEL | {"KANNEL_SMSC": "telkomsel"}).items():
        monkeypatch.setenv(name, value)
    app = create_app()
    gateway = get_gateway(app)
    assert isinstance(gateway, KannelGateway) and gateway.name == "kannel"
    assert (gateway.sendsms_url, gateway.smsc) == (KANNEL["KANNEL_SENDSMS_URL"], "telkomsel")
    assert gateway.dlr_url(7).startswith("http://127.0.0.1:8000/sms/kannel/delivery?id=7&status=%d&answer=%A")
    gateway.close()


def test_production_starts_with_every_kannel_setting() -> None:
    assert create_app(PROD | KANNEL).config["SMS_GATEWAY"] == "kannel"


@pytest.mark.parametrize("missing", ["KANNEL_SENDSMS_URL", "KANNEL_USERNAME", "KANNEL_PASSWORD", "KANNEL_CALLBACK_URL"])
def test_production_refuses_kannel_without_a_setting(missing: str) -> None:
    with pytest.raises(ConfigError, match="SMS_GATEWAY=kannel needs"):
        create_app(PROD | KANNEL | {missing: None})


@pytest.mark.parametrize("key", ["KANNEL_SENDSMS_URL", "KANNEL_CALLBACK_URL"])
def test_a_kannel_url_that_is_not_http_is_refused(key: str) -> None:
    with pytest.raises(ConfigError, match=f"{key} must be an http"):
        create_app(KANNEL | {key: "127.0.0.1:13013"})


@pytest.mark.parametrize("key", ["KANNEL_SENDSMS_URL", "KANNEL_CALLBACK_URL"])
def test_production_refuses_plain_http_to_another_host(key: str) -> None:
    with pytest.raises(ConfigError, match=f"{key} must be an https:// URL in production"):
        create_app(PROD | KANNEL | {key: "http://kannel.example:13013/cgi-bin/sendsms"})


def test_production_takes_https_or_loopback_for_kannel() -> None:
    remote = {
        "KANNEL_SENDSMS_URL": "https://kannel.example/cgi-bin/sendsms",
        "KANNEL_CALLBACK_URL": "https://m.example",
    }
    assert create_app(PROD | KANNEL | remote).config["KANNEL_SENDSMS_URL"].startswith("https://")
    local = {"KANNEL_SENDSMS_URL": "http://localhost:13013/cgi-bin/sendsms", "KANNEL_CALLBACK_URL": "http://[::1]:8000"}
    assert create_app(PROD | KANNEL | local).config["KANNEL_CALLBACK_URL"] == "http://[::1]:8000"
