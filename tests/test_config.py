"""The factory and configuration, including each production refusal."""

from __future__ import annotations

import pytest

from app import create_app
from app.config import ConfigError

SECRETS = {"SECRET_KEY": "a-long-random-production-secret", "PIN_PEPPER": "a-long-random-production-pepper"}
PROD = {
    "MELEK_ENV": "production",
    **SECRETS,
    "WEBHOOK_TOKEN": "a-long-random-webhook-token",
}


def test_defaults_follow_the_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "REDIS_URL", "SMS_GATEWAY", "USSD_SERVICE_CODE", "USSD_MAX_CHARS", "MELEK_ENV"):
        monkeypatch.delenv(name, raising=False)
    app = create_app()
    assert app.config["REDIS_URL"] == "redis://localhost:6379/0"
    assert app.config["DATABASE_URL"].startswith("sqlite:///") and "instance" in app.config["DATABASE_URL"]
    assert app.config["SMS_GATEWAY"] == "outbox"
    assert app.config["USSD_SERVICE_CODE"] == "*818#"
    assert app.config["USSD_MAX_CHARS"] == 160
    assert app.config["MELEK_ENV"] == "development"


def test_environment_overrides_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USSD_MAX_CHARS", "182")
    monkeypatch.setenv("USSD_SERVICE_CODE", "*123#")
    app = create_app()
    assert app.config["USSD_MAX_CHARS"] == 182
    assert app.config["USSD_SERVICE_CODE"] == "*123#"


def test_explicit_config_wins_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USSD_SERVICE_CODE", "*123#")
    assert create_app({"USSD_SERVICE_CODE": "*999#"}).config["USSD_SERVICE_CODE"] == "*999#"


def test_production_with_good_secrets_starts() -> None:
    assert create_app(dict(PROD)).config["MELEK_ENV"] == "production"


@pytest.mark.parametrize(
    ("override", "sentence"),
    [
        ({"SECRET_KEY": "dev-only-not-secret"}, "SECRET_KEY must be set"),
        ({"PIN_PEPPER": "dev-only-pepper"}, "PIN_PEPPER must be set"),
        ({"SMS_GATEWAY": "africastalking"}, "needs AT_USERNAME and AT_API_KEY"),
        ({"SMS_GATEWAY": "africastalking", "AT_USERNAME": "melek"}, "needs AT_USERNAME and AT_API_KEY"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL must look like"),
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL must be"),
        ({"WEBHOOK_TOKEN": None}, "Production needs WEBHOOK_TOKEN or WEBHOOK_ALLOWED_IPS"),
        ({"AT_API_BASE_URL": "http://gateway.example/"}, "AT_API_BASE_URL must be an https:// URL"),
        ({"BACKOFFICE": "http", "BACKOFFICE_URL": "http://records.example/"}, "BACKOFFICE_URL must be an https://"),
    ],
)
def test_production_refuses_unsafe_settings(override: dict[str, str], sentence: str) -> None:
    with pytest.raises(ConfigError, match=sentence):
        create_app({**PROD, **override})


@pytest.mark.parametrize(
    ("override", "sentence"),
    [
        ({"SMS_GATEWAY": "carrier-pigeon"}, "SMS_GATEWAY must be one of"),
        ({"WEBHOOK_ALLOWED_IPS": "10.0.0.0/33"}, "WEBHOOK_ALLOWED_IPS must be"),
        ({"AT_API_BASE_URL": "not a url"}, "AT_API_BASE_URL must be"),
        ({"USSD_MAX_CHARS": 500}, "USSD_MAX_CHARS must be between"),
        ({"MELEK_ENV": "staging"}, "MELEK_ENV must be"),
    ],
)
def test_malformed_settings_are_refused_in_any_environment(override: dict[str, object], sentence: str) -> None:
    with pytest.raises(ConfigError, match=sentence):
        create_app(override)


def test_non_numeric_number_setting_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USSD_MAX_CHARS", "lots")
    with pytest.raises(ConfigError, match="USSD_MAX_CHARS must be a number"):
        create_app()


def test_creating_the_app_connects_to_nothing() -> None:
    app = create_app(
        {"REDIS_URL": "redis://127.0.0.1:1/0", "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/x", **SECRETS}
    )
    assert "redis" not in app.extensions  # created lazily, on first use


def test_production_starts_with_an_allow_list_instead_of_a_token() -> None:
    app = create_app({**PROD, "WEBHOOK_TOKEN": None, "WEBHOOK_ALLOWED_IPS": "196.201.214.0/24"})
    assert app.config["MELEK_ENV"] == "production"


def test_https_gateway_and_back_office_urls_are_accepted_in_production() -> None:
    app = create_app(
        {
            **PROD,
            "AT_API_BASE_URL": "https://api.example/",
            "BACKOFFICE": "http",
            "BACKOFFICE_URL": "https://r.example/",
        }
    )
    assert app.config["BACKOFFICE_URL"] == "https://r.example/"


def test_plain_http_urls_are_fine_outside_production() -> None:
    assert create_app({"AT_API_BASE_URL": "http://127.0.0.1:9/"}).config["AT_API_BASE_URL"]


@pytest.mark.parametrize("env", ["development", "testing"])
def test_dev_secrets_are_refused_on_postgresql_whatever_melek_env_says(env: str) -> None:
    url = "postgresql://melek@127.0.0.1:9/melek"
    with pytest.raises(ConfigError, match="SECRET_KEY must be set"):
        create_app({"MELEK_ENV": env, "DATABASE_URL": url})
    with pytest.raises(ConfigError, match="PIN_PEPPER must be set"):
        create_app({"MELEK_ENV": env, "DATABASE_URL": url, "SECRET_KEY": "s" * 32})


def test_seed_demo_refuses_in_production() -> None:
    app = create_app({**PROD, "DATABASE_URL": "sqlite://"})
    result = app.test_cli_runner().invoke(args=["seed", "--demo"])
    assert result.exit_code != 0 and "production" in result.output
