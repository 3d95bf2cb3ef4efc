"""The two answers of every SMS gateway webhook (Africa's Talking and Kannel alike)."""

from __future__ import annotations

from flask import Response


def ok() -> Response:
    """Kept: 200 with an empty body (Kannel's sms-service would text a non-empty body back)."""
    return Response("", status=200, content_type="text/plain")


def unavailable() -> Response:
    """Not kept: a 5xx makes the gateway try again (Africa's Talking every minute for 12 hours;
    Kannel's smsbox per its `http-request-retry`); Retry-After says when it is worth it."""
    return Response("temporarily unavailable", status=503, content_type="text/plain", headers={"Retry-After": "60"})
