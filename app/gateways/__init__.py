"""SMS gateways behind one small interface; `GATEWAYS` maps the SMS_GATEWAY name to a factory.

A gateway sends one text to a batch of numbers and says, per number, what happened. Nothing
outside this package knows a gateway's field names or status codes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from flask import Flask, current_app

# What became of one recipient of a send request.
ACCEPTED = "accepted"  # the gateway took it; never send this recipient the same row again
RETRY = "retry"  # not taken, worth another try later (gateway 5xx, network)
REJECTED = "rejected"  # not taken and never will be (invalid number, blacklisted): no retry
KEPT = "kept"  # the keep gateway: nothing leaves, the row stays in the database


@dataclass(frozen=True)
class RecipientResult:
    """The outcome for one number of a send request."""

    number: str
    outcome: str
    message_id: str | None = None
    cost: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class InboundSMS:
    """An SMS a gateway handed us, in our own terms (each gateway's webhook parses its fields)."""

    gateway_id: str  # the gateway's id for it: a retried callback carries the same one
    sender: str  # E.164 when it parses as a phone number, else as given
    recipient: str
    text: str
    link_id: str | None = None


class ReportOutcome(StrEnum):
    """What a delivery report says became of a message we sent."""

    DELIVERED = "delivered"  # final: on the handset
    FAILED = "failed"  # final: the network gave up or refused it
    PENDING = "pending"  # intermediate (buffered, submitted): changes nothing


@dataclass(frozen=True)
class DeliveryReport:
    """A gateway's delivery report: names our message by the gateway's id or by our own row id."""

    outcome: ReportOutcome
    gateway_id: str | None = None  # Africa's Talking: the messageId it gave when we sent
    message_id: int | None = None  # Kannel: our own outbound row id, carried in the dlr-url
    reason: str | None = None  # the gateway's words for a failure


class GatewayUnavailable(Exception):
    """The whole request failed before the gateway accepted anything; safe to retry."""


class Gateway(Protocol):
    """Send one text to up to MAX_BATCH numbers; a result per number, in any order.

    `row_ids` maps each number to our outbound row id, for a gateway whose delivery reports
    name our own id (Kannel's dlr-url); the others ignore it.
    """

    name: str

    def send(
        self, text: str, numbers: list[str], row_ids: Mapping[str, int] | None = None
    ) -> list[RecipientResult]: ...


MAX_BATCH = 1000  # AT publishes no limit; stay well inside what one request can carry


def _keep(config: dict[str, Any]) -> Gateway:
    from app.gateways.keep import KeepGateway

    return KeepGateway()


def _africastalking(config: dict[str, Any]) -> Gateway:
    from app.gateways.africastalking import AfricasTalkingGateway

    return AfricasTalkingGateway.from_config(config)


def _kannel(config: dict[str, Any]) -> Gateway:
    from app.gateways.kannel import KannelGateway

    return KannelGateway.from_config(config)


GATEWAYS: dict[str, Callable[[dict[str, Any]], Gateway]] = {
    "outbox": _keep,  # the contract's name for "keep messages in the database, send nothing"
    "africastalking": _africastalking,
    "kannel": _kannel,
}


def get_gateway(app: Flask | None = None) -> Gateway:
    """The app's configured gateway, built once per app."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    gateway = app.extensions.get("sms_gateway")
    if gateway is None:
        gateway = GATEWAYS[app.config["SMS_GATEWAY"]](app.config)
        app.extensions["sms_gateway"] = gateway
    return gateway
