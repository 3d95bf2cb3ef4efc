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
GATEWAYS = ("outbox", "africastalking")


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
        "USSD_SERVICE_CODE": "*818#",
        "USSD_MAX_CHARS": 160,
        "USSD_HOP_BUDGET": 2.0,
        "USSD_WAIT_FOR_RESULT": 1.5,
        "SMS_SPOOL_DIR": str(Path(instance_path) / "spool"),
        "LOG_LEVEL": "INFO",
        "MAX_CONTENT_LENGTH": 32 * 1024 * 1024,  # Flask's: the largest request body (a CSV import); webhooks allow less
        "PROXY_HOPS": 0,  # reverse proxies in front of the web tier (X-Forwarded-For); 0: none
        "CONSOLE_IDLE_MINUTES": 30,  # a console session unused this long is signed out
    }


INTS = ("USSD_MAX_CHARS", "MAX_CONTENT_LENGTH", "PROXY_HOPS", "CONSOLE_IDLE_MINUTES")
FLOATS = ("USSD_HOP_BUDGET", "USSD_WAIT_FOR_RESULT")


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
    allowed_networks(cfg)  # raises on a malformed list
    if not 60 <= int(cfg["USSD_MAX_CHARS"]) <= 182:
        raise ConfigError("USSD_MAX_CHARS must be between 60 and 182.")
    if not 0 <= int(cfg["PROXY_HOPS"]) <= 5:
        raise ConfigError("PROXY_HOPS must be the number of reverse proxies in front of Melek, 0-5.")
    if not 1 <= int(cfg["CONSOLE_IDLE_MINUTES"]) <= 24 * 60:
        raise ConfigError("CONSOLE_IDLE_MINUTES must be between 1 and 1440.")
    if cfg["MELEK_ENV"] == "production":
        refuse_unsafe_production(cfg)


def refuse_unsafe_production(cfg: dict[str, Any]) -> None:
    """Production must not run on development secrets or without gateway credentials."""
    if cfg["SECRET_KEY"] == DEV_SECRET or len(cfg["SECRET_KEY"]) < 16:
        raise ConfigError("SECRET_KEY must be set to a long random value in production.")
    if cfg["PIN_PEPPER"] == DEV_PEPPER or len(cfg["PIN_PEPPER"]) < 16:
        raise ConfigError("PIN_PEPPER must be set to a long random value in production.")
    if cfg["SMS_GATEWAY"] == "africastalking" and not (cfg["AT_USERNAME"] and cfg["AT_API_KEY"]):
        raise ConfigError("SMS_GATEWAY=africastalking needs AT_USERNAME and AT_API_KEY.")


def open_webhooks_warning(cfg: Mapping[str, Any]) -> str | None:
    """The warning to log when production has neither a webhook token nor an allow-list.

    Allowed by the contract, so not refused; but anyone could post fake callbacks.
    """
    if cfg["MELEK_ENV"] == "production" and not (cfg["WEBHOOK_TOKEN"] or cfg["WEBHOOK_ALLOWED_IPS"]):
        return (
            "config: neither WEBHOOK_TOKEN nor WEBHOOK_ALLOWED_IPS is set: /ussd and /sms/* accept anyone's callbacks"
        )
    return None


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
