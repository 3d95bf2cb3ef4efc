"""No cookie session on the gateway webhooks: they never use one, and opening it costs time
on every USSD hop (USSD session state lives in Redis, keyed by the gateway's sessionId)."""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import NullSession, SecureCookieSession, SecureCookieSessionInterface

WEBHOOK_PREFIXES = ("/ussd", "/sms/")


class WebhookAwareSessionInterface(SecureCookieSessionInterface):
    """The default signed-cookie session everywhere but the webhooks."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if request.path.startswith(WEBHOOK_PREFIXES):
            return NullSession()
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    app.session_interface = WebhookAwareSessionInterface()
