"""Webhook protection: AT does not sign callbacks, so a secret URL token and an IP list."""

from __future__ import annotations

import hmac
import ipaddress
import logging
from collections.abc import Mapping
from typing import Any

from flask import Response, current_app, request

from app.config import allowed_networks
from app.errors import json_error

log = logging.getLogger(__name__)
WEBHOOK_MAX_BYTES = 64 * 1024  # a gateway callback is well under 2 KB; anything bigger is refused with 413


def check_webhook_caller() -> tuple[Response, int] | None:
    """before_request for webhook blueprints: 403 unless token and source IP pass; small bodies only."""
    if refusal := body_too_large():
        return refusal
    return caller_refusal(current_app.config, request.args.get("token", ""), request.remote_addr or "", request.path)


def body_too_large() -> tuple[Response, int] | None:
    """413 for a body over WEBHOOK_MAX_BYTES, chunked ones included.

    With a Content-Length, Flask refuses a large body itself. A chunked body has none, and
    Werkzeug then only stops reading at the limit: the form would hold a silently cut text.
    So such a body is read here (cached for the form parser) with one byte of headroom.
    """
    request.max_content_length = WEBHOOK_MAX_BYTES
    if request.content_length is not None or request.method in ("GET", "HEAD"):
        return None
    request.max_content_length = WEBHOOK_MAX_BYTES + 1
    if len(request.get_data(cache=True)) > WEBHOOK_MAX_BYTES:
        log.warning("webhook refused: body too large", extra={"path": request.path})
        return json_error(413, "Payload too large: webhook bodies are limited to 64 KB.")
    request.max_content_length = WEBHOOK_MAX_BYTES
    return None


def caller_refusal(config: Mapping[str, Any], token: str, address: str, path: str) -> tuple[Response, int] | None:
    """403 unless the URL token (when WEBHOOK_TOKEN is set) and the source address pass."""
    expected = config.get("WEBHOOK_TOKEN")
    if expected and not hmac.compare_digest(token.encode(), expected.encode()):
        log.warning("webhook refused: bad token", extra={"path": path, "ip": address})
        return json_error(403, "Forbidden: missing or wrong webhook token.")
    networks = allowed_networks(config)
    if networks and not ip_allowed(address, networks):
        log.warning("webhook refused: ip not allowed", extra={"path": path, "ip": address})
        return json_error(403, "Forbidden: source address not allowed.")
    return None


def ip_allowed(address: str, networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    """True when `address` lies in one of `networks`."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def require_fields(form: dict[str, str], names: tuple[str, ...]) -> tuple[Response, int] | None:
    """400 naming the missing fields of a gateway callback, or None when all are there."""
    missing = [name for name in names if name not in form]
    if missing:
        return json_error(400, f"Missing field(s): {', '.join(missing)}.", missing=missing)
    return None
