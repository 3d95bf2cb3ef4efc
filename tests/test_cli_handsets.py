"""`flask handsets add|show|block|unblock|swap-sim|retire` and `flask admins create`."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import ApiToken, Handset
from app.security.tokens import token_hash
from bench.registry_data import imei, msisdn, nip
from tests.registry_helpers import audit_actions


def invoke(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=list(args))
    return result.exit_code, result.output


def add_args(n: int, *extra: str) -> list[str]:
    return ["handsets", "add", imei(n), "--regency", "Samarinda", "--name", f"Petugas {n}", "--nip", nip(n), *extra]


def test_add_show_block_unblock_swap_retire(seeded: Flask) -> None:
    code, output = invoke(seeded, *add_args(1, "--msisdn", "0812-5000-0001"))
    assert code == 0 and "active" in output and "+6281250000001" in output
    code, output = invoke(seeded, "handsets", "block", imei(1), "--reason", "stolen")
    assert code == 0 and "blocked (stolen)" in output
    assert invoke(seeded, "handsets", "unblock", imei(1))[0] == 0
    code, output = invoke(seeded, "handsets", "swap-sim", imei(1), msisdn(9))
    assert code == 0 and msisdn(9) in output
    code, output = invoke(seeded, "handsets", "swap-sim", imei(1), "--msisdn", msisdn(8))
    assert code == 0 and msisdn(8) in output
    assert invoke(seeded, "handsets", "retire", imei(1))[0] == 0
    code, output = invoke(seeded, "handsets", "show", imei(1))
    assert code == 0 and "retired" in output and "Petugas 1" in output
    actions = audit_actions(imei(1))
    assert actions == [
        "handset.add",
        "handset.block",
        "handset.unblock",
        "handset.swap_sim",
        "handset.swap_sim",
        "handset.retire",
    ]


def test_add_without_a_number_prints_the_activation_code_once(seeded: Flask) -> None:
    code, output = invoke(seeded, *add_args(1))
    assert code == 0 and "provisioned" in output
    assert re.search(r"Activation code \(shown once\): \d{6}", output)


def test_errors_exit_1_with_the_field_and_reason(seeded: Flask) -> None:
    code, output = invoke(
        seeded, "handsets", "add", "3569380310000012", "--regency", "6472", "--name", "A B", "--nip", nip(1)
    )
    assert code == 1 and "imei:" in output and "IMEISV" in output
    code, output = invoke(seeded, *add_args(1, "--msisdn", "0541 741234"))
    assert code == 1 and "fixed line" in output
    assert invoke(seeded, "handsets", "block", imei(5), "--reason", "lost")[0] == 1
    assert invoke(seeded, "handsets", "block", imei(5), "--reason", "dropped")[0] == 2  # click usage error
    assert db.session.scalar(select(Handset)) is None


def test_admins_create_prints_the_token_once_and_stores_a_hash(seeded: Flask) -> None:
    code, output = invoke(seeded, "admins", "create", "smd", "--role", "regency", "--regency", "6472")
    assert code == 0
    token_line = next(line for line in output.splitlines() if "token" in line.lower())
    token = token_line.rsplit(" ", 1)[-1]
    assert token.startswith("mlk_") and len(token) > 40
    assert db.session.scalar(select(ApiToken.token_hash)) == token_hash(token)
    response = seeded.test_client().get("/api/v1/handsets", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_admins_create_refuses_a_regency_role_without_regency(seeded: Flask) -> None:
    code, output = invoke(seeded, "admins", "create", "smd", "--role", "regency")
    assert code == 1 and "regency" in output
    code, output = invoke(seeded, "admins", "create", "prov", "--role", "province")
    assert code == 0 and "token" in output


def test_admins_password_token_and_list(seeded: Flask) -> None:
    from app.models import Admin
    from app.security.tokens import password_matches

    runner = seeded.test_cli_runner()
    result = runner.invoke(
        args=["admins", "create", "lihat", "--role", "viewer", "--password"], input="rahasia-9\nrahasia-9\n"
    )
    assert result.exit_code == 0, result.output
    admin = db.session.scalar(select(Admin).where(Admin.username == "lihat"))
    assert admin is not None and admin.password_hash and password_matches(admin.password_hash, "rahasia-9")
    assert not password_matches(admin.password_hash, "salah")
    code, output = invoke(seeded, "admins", "token", "lihat")
    assert code == 0 and "token" in output.lower()
    code, output = invoke(seeded, "admins", "list")
    assert code == 0 and "lihat\tviewer" in output
