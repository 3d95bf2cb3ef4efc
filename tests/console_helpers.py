"""Shared setup for console tests: admins with passwords, signing in through the real form.

Fixture admins get one PASSWORD hash made once per session with cheap scrypt parameters (the
same scheme and check, ~3 ms instead of ~110 ms per sign-in); the sign-in tests
(tests/test_console_auth.py) create theirs through the real hashing path (`real_hash=True`).
"""

from __future__ import annotations

import re
from functools import cache

from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash
from werkzeug.test import TestResponse

from app.extensions import db
from app.registry.admins import create_admin
from app.registry.audit import CLI

PASSWORD = "rahasia-konsol-1"
# username -> (role, regency)
ADMINS = {
    "prov": ("province", None),
    "smd": ("regency", "6472"),
    "bpn": ("regency", "6471"),
    "lihat": ("viewer", None),
}
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|<meta name="csrf-token" content="([^"]+)"')


@cache
def cheap_password_hash() -> str:
    """PASSWORD hashed once, with scrypt parameters cheap enough for tests."""
    return generate_password_hash(PASSWORD, method="scrypt:1024:8:1")


def make_admins(*names: str, real_hash: bool = False) -> None:
    """Create the named admins of ADMINS (all when none named), each with PASSWORD.

    `real_hash`: hash it as the console does (app.security.tokens.hash_password), ~110 ms each.
    """
    for name in names or tuple(ADMINS):
        role, regency = ADMINS[name]
        if real_hash:
            create_admin(CLI, name, role, regency, PASSWORD)
            continue
        created = create_admin(CLI, name, role, regency)
        created.admin.password_hash = cheap_password_hash()
        db.session.commit()


def csrf_token(client: FlaskClient, url: str = "/console/login") -> str:
    """The CSRF token of the form on `url` (what a browser would post back)."""
    page = client.get(url)
    match = CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url} ({page.status_code})"
    return match.group(1) or match.group(2)


def sign_in(client: FlaskClient, username: str, password: str = PASSWORD) -> TestResponse:
    token = csrf_token(client)
    return client.post("/console/login", data={"username": username, "password": password, "csrf_token": token})


def post(
    client: FlaskClient, url: str, data: dict[str, object] | None = None, page: str = "/console/handsets"
) -> TestResponse:
    """POST a console form with a valid CSRF token taken from `page`."""
    return client.post(url, data={"csrf_token": csrf_token(client, page), **(data or {})})


def signed_in(client: FlaskClient, username: str) -> FlaskClient:
    response = sign_in(client, username)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client
