"""Console sign-in: redirects, CSRF, passwords, lockout, idle timeout, deactivation, audit."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import Admin, AuditEvent
from app.registry.admins import deactivate_admin, set_password
from app.registry.audit import CLI
from tests.console_helpers import PASSWORD, csrf_token, make_admins, post, sign_in, signed_in


@pytest.fixture
def console(seeded: Flask) -> FlaskClient:
    make_admins("prov", "smd", real_hash=True)  # sign-in checks the password as in production
    return seeded.test_client()


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_signed_out_pages_redirect_to_the_sign_in_page(console: FlaskClient) -> None:
    for url in ("/console/", "/console/handsets", "/console/handsets/356938035643809"):
        response = console.get(url)
        assert response.status_code == 302
        assert response.headers["Location"] == "/console/login"


def test_sign_in_needs_the_csrf_token(console: FlaskClient) -> None:
    response = console.post("/console/login", data={"username": "prov", "password": PASSWORD})
    assert response.status_code == 400
    assert "Formulir kedaluwarsa" in response.get_data(as_text=True)
    assert console.get("/console/handsets").status_code == 302


def test_right_password_signs_in_and_is_audited(console: FlaskClient) -> None:
    response = sign_in(console, "PROV")  # usernames are lower case, typed in any case
    assert response.status_code == 302
    assert "Ringkasan program" in console.get("/console/").get_data(as_text=True)  # the dashboard
    page = console.get("/console/handsets")
    assert page.status_code == 200 and "prov" in page.get_data(as_text=True)
    assert actions()[-1] == "console.login"


def test_session_cookie_is_httponly_and_lax(console: FlaskClient) -> None:
    response = sign_in(console, "prov")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_console_pages_refuse_to_be_framed(console: FlaskClient) -> None:
    sign_in(console, "prov")
    for url in ("/console/login", "/console/handsets", "/console/rq/"):
        headers = console.get(url).headers
        assert headers["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
    assert "X-Frame-Options" not in console.get("/healthz").headers  # the webhooks and API are no pages


def test_production_cookie_is_secure(seeded: Flask) -> None:
    from tests.conftest import make_app

    app = make_app(
        seeded.config["DATABASE_URL"],
        Path(seeded.instance_path),
        MELEK_ENV="production",
        WEBHOOK_TOKEN="a-long-random-webhook-token",
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert seeded.config["SESSION_COOKIE_SECURE"] is False


def test_wrong_password_and_unknown_user_are_refused_and_audited(console: FlaskClient) -> None:
    for username, password in (("prov", "salah-sekali"), ("nobody", PASSWORD)):
        response = sign_in(console, username, password)
        assert response.status_code == 401
        assert "Nama pengguna atau kata sandi salah" in response.get_data(as_text=True)
    assert actions()[-2:] == ["console.login_failed", "console.login_failed"]
    assert console.get("/console/handsets").status_code == 302


def test_lockout_per_username_after_five_failures(console: FlaskClient) -> None:
    for _ in range(5):
        assert sign_in(console, "prov", "salah-sekali").status_code == 401
    response = sign_in(console, "prov")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.get_data(as_text=True)
    assert sign_in(console, "smd").status_code == 302  # another username from the same address still works


def test_parallel_wrong_passwords_are_each_counted(committed_app: Flask) -> None:
    """Guesses sent at once cannot all slip in before the first is counted."""
    make_admins("prov", real_hash=True)  # the real check: the window the guesses race in
    clients = [committed_app.test_client() for _ in range(8)]
    tokens = [csrf_token(client) for client in clients]
    statuses: list[int | str] = []
    start = threading.Barrier(len(clients))

    def guess(client: FlaskClient, token: str) -> None:
        form = {"username": "prov", "password": "salah-sekali", "csrf_token": token}
        start.wait()
        try:
            statuses.append(client.post("/console/login", data=form).status_code)
        except Exception as exc:  # noqa: BLE001  # shown in the assertion below
            statuses.append(repr(exc))

    threads = [threading.Thread(target=guess, args=pair) for pair in zip(clients, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(statuses, key=str) == [401] * 5 + [429] * 3, statuses


def test_a_successful_sign_in_gives_its_address_attempt_back(console: FlaskClient) -> None:
    for _ in range(21):  # more than the address's 20
        assert sign_in(console, "smd").status_code == 302
        console.post("/console/logout", data={"csrf_token": csrf_token(console, "/console/handsets")})
    assert sign_in(console, "prov", "salah-sekali").status_code == 401


def test_lockout_per_address_after_twenty_failures(console: FlaskClient) -> None:
    for n in range(20):
        assert sign_in(console, f"tebak{n}", "salah-sekali").status_code == 401
    assert sign_in(console, "smd").status_code == 429


def test_sign_out_ends_the_session_and_is_audited(console: FlaskClient) -> None:
    signed_in(console, "prov")
    assert console.get("/console/logout").status_code == 404  # only a POST (with CSRF) signs out
    assert console.get("/console/handsets").status_code == 200
    response = post(console, "/console/logout")
    assert response.status_code == 302 and response.headers["Location"] == "/console/login"
    assert console.get("/console/handsets").status_code == 302
    assert actions()[-1] == "console.logout"


def test_idle_session_ends(console: FlaskClient) -> None:
    signed_in(console, "prov")
    with console.session_transaction() as session:
        session["seen"] = int(time.time()) - 31 * 60
    response = console.get("/console/handsets")
    assert response.status_code == 302 and response.headers["Location"] == "/console/login"
    assert "tidak aktif" in console.get("/console/login").get_data(as_text=True)


def test_deactivated_admin_is_signed_out_on_the_next_click(console: FlaskClient) -> None:
    signed_in(console, "smd")
    admin = db.session.scalar(select(Admin).where(Admin.username == "smd"))
    assert admin is not None
    deactivate_admin(CLI, admin.id)
    assert console.get("/console/handsets").status_code == 302
    assert sign_in(console, "smd").status_code == 401


def test_new_password_ends_sessions_of_the_old_one(console: FlaskClient) -> None:
    signed_in(console, "smd")
    set_password(CLI, "smd", "kata-sandi-baru-2")
    assert console.get("/console/handsets").status_code == 302
    assert sign_in(console, "smd", "kata-sandi-baru-2").status_code == 302


def test_next_page_after_sign_in_is_local_only(console: FlaskClient) -> None:
    console.get("/console/handsets?status=blocked")
    assert sign_in(console, "prov").headers["Location"] == "/console/handsets?status=blocked"
    post(console, "/console/logout")
    with console.session_transaction() as session:
        session["next"] = "//evil.example/console/"
    token = csrf_token(console)
    response = console.post("/console/login", data={"username": "prov", "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/console/"


def test_admin_without_password_cannot_sign_in(seeded: Flask) -> None:
    from app.registry.admins import create_admin

    create_admin(CLI, "tanpa", "province")
    assert sign_in(seeded.test_client(), "tanpa", "").status_code == 400  # empty field: the form refuses
    assert sign_in(seeded.test_client(), "tanpa", "apa-saja-123").status_code == 401


def test_cli_set_password_reads_one_line_from_stdin(seeded: Flask) -> None:
    from app.registry.admins import create_admin
    from app.security.tokens import password_matches

    create_admin(CLI, "baru", "regency", "6472")
    runner = seeded.test_cli_runner()
    result = runner.invoke(args=["admins", "set-password", "baru"], input="sandi-yang-panjang\n")
    assert result.exit_code == 0, result.output
    admin = db.session.scalar(select(Admin).where(Admin.username == "baru"))
    assert admin is not None and password_matches(admin.password_hash, "sandi-yang-panjang")
    assert actions()[-1] == "admin.password"
    assert sign_in(seeded.test_client(), "baru", "sandi-yang-panjang").status_code == 302


def test_cli_set_password_refuses_short_passwords_and_unknown_admins(seeded: Flask) -> None:
    runner = seeded.test_cli_runner()
    make_admins("smd")
    short = runner.invoke(args=["admins", "set-password", "smd"], input="pendek\n")
    assert short.exit_code == 1 and "minimal 8" in short.output
    unknown = runner.invoke(args=["admins", "set-password", "siapa"], input="sandi-yang-panjang\n")
    assert unknown.exit_code == 1 and "unknown admin" in unknown.output


def test_unknown_console_address_is_a_page_not_json(console: FlaskClient) -> None:
    assert console.get("/console/tidak-ada").headers["Location"] == "/console/login"
    signed_in(console, "prov")
    response = console.get("/console/tidak-ada/sama-sekali")
    assert response.status_code == 404 and "Tidak ditemukan" in response.get_data(as_text=True)


def test_an_unexpected_error_is_a_page_and_logged(console: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.console import handsets

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    signed_in(console, "prov")
    monkeypatch.setattr(handsets, "handsets_query", broken)
    response = console.get("/console/handsets")
    assert response.status_code == 500 and "Kesalahan server" in response.get_data(as_text=True)
    assert "boom" not in response.get_data(as_text=True)
