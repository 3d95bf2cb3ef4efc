"""Webhooks open no cookie session; other endpoints keep Flask's default."""

from __future__ import annotations

import pytest
from flask import Flask, session
from flask.sessions import NullSession, SecureCookieSession

from tests.helpers import ussd_form


@pytest.mark.parametrize("path", ["/ussd", "/ussd/events", "/sms/inbound", "/sms/delivery"])
def test_webhooks_get_a_null_session_and_set_no_cookie(app: Flask, path: str) -> None:
    seen: list[object] = []
    app.before_request(lambda: seen.append(session._get_current_object()))  # type: ignore[attr-defined]
    response = app.test_client().post(path, data=ussd_form("c1", "+6281234567890", ""))
    assert isinstance(seen[0], NullSession)
    assert "Set-Cookie" not in response.headers


def test_other_paths_keep_the_cookie_session(app: Flask) -> None:
    seen: list[object] = []
    app.before_request(lambda: seen.append(session._get_current_object()))  # type: ignore[attr-defined]
    app.test_client().get("/healthz")
    assert isinstance(seen[0], SecureCookieSession) and not isinstance(seen[0], NullSession)
