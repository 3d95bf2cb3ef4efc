"""Settings: defaults, then the environment (and `.env`), then explicit overrides."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

DEV_SECRET = "dev-only-not-secret"
DEV_PEPPER = "dev-only-pepper"
GATEWAYS = ("outbox", "africastalking", "kannel")
USSD_MIN_CHARS = 120  # the smallest limit every screen fits (tests/test_properties.py searches below it)
KANNEL_NEEDS = ("KANNEL_SENDSMS_URL", "KANNEL_USERNAME", "KANNEL_PASSWORD", "KANNEL_CALLBACK_URL")


def defaults(instance_path: str) -> dict[str, Any]:
    """The contract's defaults; development-friendly, refused in production."""
    return {
        "MELEK_ENV": "development",
        "SECRET_KEY": DEV_SECRET,
        "PIN_PEPPER": DEV_PEPPER,
        "DATABASE_URL": "sqlite:///" + str(Path(instance_path) / "melek.db"),
        "REDIS_URL": "redis://localhost:6379/0",
        "WEBHOOK_TOKEN": None,
        "WEBHOOK_ALLOWED_IPS": None,
        "SMS_GATEWAY": "outbox",
        "AT_USERNAME": None,
        "AT_API_KEY": None,
        "AT_SENDER_ID": None,
        "AT_API_BASE_URL": None,
        **dict.fromkeys(KANNEL_NEEDS + ("KANNEL_SMSC",)),  # the Kannel gateway (docs/kannel.md)
        "USSD_SERVICE_CODE": "*818#",
        "USSD_MAX_CHARS": 160,
        "USSD_HOP_BUDGET": 2.0,
        "USSD_WAIT_FOR_RESULT": 1.5,
        "SMS_LEASE_SECONDS": 300,  # a worker's hold on claimed inbound SMS; taken again after it (app.sms.handling)
        "BACKOFFICE": "sql",
        "BACKOFFICE_URL": None,
        "BACKOFFICE_TOKEN": None,
        "BACKOFFICE_CONNECT_TIMEOUT": 2.0,
        "BACKOFFICE_READ_TIMEOUT": 5.0,
        "BACKOFFICE_RETRIES": 2,
        "BACKOFFICE_BREAKER_THRESHOLD": 5,
        "BACKOFFICE_BREAKER_COOLOFF": 30.0,
        "CRISIS_ESCALATE_AFTER": 900.0,  # seconds before an unacknowledged incident goes to the province
        "ACTIVATION_TTL": 14 * 24 * 3600,  # seconds an activation code (AKTIF) stays valid
        "API_IMPORT_SYNC_ROWS": 2000,  # larger CSV uploads are imported by a job (202)
        "JOB_RESULT_TTL": 600,  # seconds RQ keeps a job's result (the USSD screen waits for it)
        "LOG_LEVEL": "INFO",
        "MAX_CONTENT_LENGTH": 32 * 1024 * 1024,  # Flask's: the largest request body (a CSV import); webhooks allow less
        "PROXY_HOPS": 0,  # reverse proxies in front of the web tier (X-Forwarded-For); 0: none
        "API_TOKEN_DAYS": 90,  # lifetime of a new API token unless its issuer says otherwise
        "API_AUTH_FAILURE_LIMIT": 10,  # wrong tokens per client address per 15 min before 429 (valid ones pass)
        "REPLY_DAILY_CAP": 30,  # automatic replies per number and kind per day (app.sms.reply_budget)
        "CONSOLE_IDLE_MINUTES": 30,  # a console session unused this long is signed out
        "REPLY_HOURLY_BUDGET": 3000,  # automatic replies per hour in all; past it: refused, logged at ERROR
    }


INTS = (
    "USSD_MAX_CHARS",
    "MAX_CONTENT_LENGTH",
    "PROXY_HOPS",
    "SMS_LEASE_SECONDS",
    "BACKOFFICE_RETRIES",
    "BACKOFFICE_BREAKER_THRESHOLD",
    "API_TOKEN_DAYS",
    "API_AUTH_FAILURE_LIMIT",
    "REPLY_DAILY_CAP",
    "REPLY_HOURLY_BUDGET",
    "API_IMPORT_SYNC_ROWS",
    "JOB_RESULT_TTL",
    "CONSOLE_IDLE_MINUTES",
)
FLOATS = (
    "USSD_HOP_BUDGET",
    "USSD_WAIT_FOR_RESULT",
    "BACKOFFICE_CONNECT_TIMEOUT",
    "BACKOFFICE_READ_TIMEOUT",
    "BACKOFFICE_BREAKER_COOLOFF",
    "CRISIS_ESCALATE_AFTER",
    "ACTIVATION_TTL",
)


def from_environment(keys: list[str]) -> dict[str, Any]:
    """Read the known keys from the environment, converting numbers."""
    found: dict[str, Any] = {}
    for key in keys:
        raw = os.environ.get(key)
        if raw is None or raw == "":
            continue
        try:
            found[key] = int(raw) if key in INTS else float(raw) if key in FLOATS else raw
        except ValueError:
            raise ConfigError(f"{key} must be a number, got {raw!r}.") from None
    return found


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says why in one sentence."""


def validate(cfg: dict[str, Any]) -> None:
    """Refuse unusable settings, and unsafe defaults in production."""
    if cfg["MELEK_ENV"] not in ("development", "production", "testing"):
        raise ConfigError("MELEK_ENV must be development, production or testing.")
    if cfg["SMS_GATEWAY"] not in GATEWAYS:
        raise ConfigError(f"SMS_GATEWAY must be one of {', '.join(GATEWAYS)}.")
    if urlparse(cfg["REDIS_URL"]).scheme not in ("redis", "rediss", "unix"):
        raise ConfigError("REDIS_URL must look like redis://host:6379/0.")
    db_scheme = urlparse(cfg["DATABASE_URL"]).scheme.split("+")[0]
    if db_scheme not in ("sqlite", "postgresql"):
        raise ConfigError("DATABASE_URL must be a sqlite:/// or postgresql:// URL.")
    if cfg["AT_API_BASE_URL"] and not urlparse(cfg["AT_API_BASE_URL"]).netloc:
        raise ConfigError("AT_API_BASE_URL must be an http(s) URL.")
    for key in ("KANNEL_SENDSMS_URL", "KANNEL_CALLBACK_URL"):
        if cfg[key] and urlparse(cfg[key]).scheme not in ("http", "https"):
            raise ConfigError(f"{key} must be an http(s) URL.")
    allowed_networks(cfg)  # raises on a malformed list
    if not USSD_MIN_CHARS <= int(cfg["USSD_MAX_CHARS"]) <= 182:
        raise ConfigError(f"USSD_MAX_CHARS must be between {USSD_MIN_CHARS} and 182.")
    if not 4 <= int(cfg["SMS_LEASE_SECONDS"]) <= 3600:
        raise ConfigError("SMS_LEASE_SECONDS must be between 4 and 3600.")
    if not 0 <= int(cfg["PROXY_HOPS"]) <= 5:
        raise ConfigError("PROXY_HOPS must be the number of reverse proxies in front of Melek, 0-5.")
    if not 1 <= int(cfg["CONSOLE_IDLE_MINUTES"]) <= 24 * 60:
        raise ConfigError("CONSOLE_IDLE_MINUTES must be between 1 and 1440.")
    if cfg["MELEK_ENV"] == "production" or db_scheme == "postgresql":
        refuse_dev_secrets(cfg)  # a PostgreSQL database is a real one, whatever MELEK_ENV says
    if cfg["MELEK_ENV"] == "production":
        refuse_unsafe_production(cfg)


def refuse_dev_secrets(cfg: Mapping[str, Any]) -> None:
    """Real data must not be protected by the development secrets (or short ones)."""
    if cfg["SECRET_KEY"] == DEV_SECRET or len(cfg["SECRET_KEY"]) < 16:
        raise ConfigError("SECRET_KEY must be set to a long random value in production and on PostgreSQL.")
    if cfg["PIN_PEPPER"] == DEV_PEPPER or len(cfg["PIN_PEPPER"]) < 16:
        raise ConfigError("PIN_PEPPER must be set to a long random value in production and on PostgreSQL.")


def refuse_unsafe_production(cfg: dict[str, Any]) -> None:
    """Production must not take anyone's webhooks, run without gateway credentials or talk plain HTTP."""
    if not (cfg["WEBHOOK_TOKEN"] or cfg["WEBHOOK_ALLOWED_IPS"]):
        raise ConfigError(
            "Production needs WEBHOOK_TOKEN or WEBHOOK_ALLOWED_IPS: otherwise anyone can post fake USSD/SMS callbacks."
        )
    if cfg["SMS_GATEWAY"] == "africastalking" and not (cfg["AT_USERNAME"] and cfg["AT_API_KEY"]):
        raise ConfigError("SMS_GATEWAY=africastalking needs AT_USERNAME and AT_API_KEY.")
    if cfg["SMS_GATEWAY"] == "kannel" and not all(cfg[key] for key in KANNEL_NEEDS):
        raise ConfigError(f"SMS_GATEWAY=kannel needs {', '.join(KANNEL_NEEDS)}.")
    require_https(cfg, "AT_API_BASE_URL", "KANNEL_SENDSMS_URL", "KANNEL_CALLBACK_URL")


def require_https(cfg: Mapping[str, Any], *names: str) -> None:
    """In production, each of these URL settings that is set must be https:// (gateways, back office).

    Plain http to this host's loopback is allowed: a Kannel smsbox next to Melek, for one,
    whose traffic never leaves the machine.
    """
    if cfg.get("MELEK_ENV") != "production":
        return
    for name in names:
        url = urlparse(str(cfg.get(name) or ""))
        if cfg.get(name) and url.scheme != "https" and not _loopback(url.hostname or ""):
            raise ConfigError(f"{name} must be an https:// URL in production (plain http only to loopback).")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed_networks(cfg: Mapping[str, Any]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Parse WEBHOOK_ALLOWED_IPS (comma-separated CIDRs); empty means no IP filter."""
    return list(_networks(cfg.get("WEBHOOK_ALLOWED_IPS") or ""))


@lru_cache(maxsize=8)
def _networks(raw: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """The parsed list, once per distinct setting (webhooks check it on every call)."""
    try:
        return tuple(ipaddress.ip_network(part.strip()) for part in raw.split(",") if part.strip())
    except ValueError:
        raise ConfigError(f"WEBHOOK_ALLOWED_IPS must be a comma-separated CIDR list, got {raw!r}.") from None


def load(instance_path: str, overrides: dict[str, Any] | None) -> dict[str, Any]:
    """Defaults, then environment, then overrides; validated."""
    cfg = defaults(instance_path)
    cfg.update(from_environment(list(cfg)))
    cfg.update(overrides or {})
    validate(cfg)
    return cfg
