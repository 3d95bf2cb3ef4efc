"""SMS gateways behind one small interface; `GATEWAYS` maps the SMS_GATEWAY name to a factory.

A gateway sends one text to a batch of numbers and says, per number, what happened. Nothing
outside this package knows a gateway's field names or status codes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from flask import Flask, current_app

# What became of one recipient of a send request.
ACCEPTED = "accepted"  # the gateway took it; never send this recipient the same row again
RETRY = "retry"  # not taken, worth another try later (gateway 5xx, network)
REJECTED = "rejected"  # not taken and never will be (invalid number, blacklisted): no retry
KEPT = "kept"  # the outbox gateway: nothing leaves, the row stays in the database


@dataclass(frozen=True)
class RecipientResult:
    """The outcome for one number of a send request."""

    number: str
    outcome: str
    message_id: str | None = None
    cost: str | None = None
    reason: str | None = None


class GatewayUnavailable(Exception):
    """The whole request failed before the gateway accepted anything; safe to retry."""


class Gateway(Protocol):
    """Send one text to up to MAX_BATCH numbers; a result per number, in any order."""

    name: str

    def send(self, text: str, numbers: list[str]) -> list[RecipientResult]: ...


MAX_BATCH = 1000  # AT publishes no limit; stay well inside what one request can carry


def _outbox(config: dict[str, Any]) -> Gateway:
    from app.gateways.outbox import OutboxGateway

    return OutboxGateway()


def _africastalking(config: dict[str, Any]) -> Gateway:
    from app.gateways.africastalking import AfricasTalkingGateway

    return AfricasTalkingGateway.from_config(config)


GATEWAYS: dict[str, Callable[[dict[str, Any]], Gateway]] = {
    "outbox": _outbox,
    "africastalking": _africastalking,
}


def get_gateway(app: Flask | None = None) -> Gateway:
    """The app's configured gateway, built once per app."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    gateway = app.extensions.get("sms_gateway")
    if gateway is None:
        gateway = GATEWAYS[app.config["SMS_GATEWAY"]](app.config)
        app.extensions["sms_gateway"] = gateway
    return gateway
