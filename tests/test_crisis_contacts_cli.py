"""`flask crisis-contacts add|list|remove`."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import CrisisContact


def test_add_list_and_remove_contacts(seeded: Flask) -> None:
    runner = seeded.test_cli_runner()
    added = runner.invoke(
        args=["crisis-contacts", "add", "0812-5000-0001", "--name", "BPBD Samarinda", "--regency", "Samarinda"]
    )
    assert added.exit_code == 0, added.output
    assert "+6281250000001" in added.output and "6472" in added.output
    province = runner.invoke(args=["crisis-contacts", "add", "6281250000009", "--name", "Pusdalops"])
    assert province.exit_code == 0 and "the province" in province.output
    listed = runner.invoke(args=["crisis-contacts", "list"]).output
    assert "province\t+6281250000009\tPusdalops" in listed and "6472\t+6281250000001\tBPBD Samarinda" in listed
    contact = db.session.scalars(select(CrisisContact).where(CrisisContact.regency_code == "6472")).one()
    removed = runner.invoke(args=["crisis-contacts", "remove", str(contact.id)])
    assert removed.exit_code == 0
    assert "+6281250000001" not in runner.invoke(args=["crisis-contacts", "list"]).output


def test_it_refuses_bad_numbers_unknown_regencies_and_duplicates(seeded: Flask) -> None:
    runner = seeded.test_cli_runner()
    assert runner.invoke(args=["crisis-contacts", "add", "0541-123456", "--name", "Kantor"]).exit_code != 0
    assert (
        runner.invoke(args=["crisis-contacts", "add", "081250000001", "--name", "X", "--regency", "Jakarta"]).exit_code
        != 0
    )
    assert runner.invoke(args=["crisis-contacts", "add", "081250000001", "--name", "X"]).exit_code == 0
    duplicate = runner.invoke(args=["crisis-contacts", "add", "081250000001", "--name", "X"])
    assert duplicate.exit_code != 0 and "already" in duplicate.output
    assert runner.invoke(args=["crisis-contacts", "remove", "999"]).exit_code != 0
