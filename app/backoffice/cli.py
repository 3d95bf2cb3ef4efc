"""`flask crisis-contacts add|list|remove` and `flask crisis escalate`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from app.extensions import db
from app.models import CrisisContact, Regency
from app.models.base import utcnow
from app.registry.msisdn import to_e164

contacts_cli = AppGroup("crisis-contacts", help="Who the Crisis Center alerts, per regency or province-wide.")
crisis_cli = AppGroup("crisis", help="Crisis Center chores.")


def regency_code(value: str) -> str:
    """A BPS code or a regency name, as stored."""
    regency = db.session.scalar(select(Regency).where((Regency.code == value) | (Regency.name.ilike(value))))
    if regency is None:
        raise click.BadParameter(f"unknown regency {value!r}")
    return regency.code


@contacts_cli.command("add")
@click.argument("msisdn")
@click.option("--name", required=True)
@click.option("--regency", help="BPS code or name; leave out for a province-wide contact.")
def add_contact(msisdn: str, name: str, regency: str | None) -> None:
    """Add a contact (MSISDN in any usual spelling)."""
    number = to_e164(msisdn)
    if number is None:
        raise click.BadParameter(f"{msisdn!r} is not an Indonesian mobile number", param_hint="MSISDN")
    code = regency_code(regency) if regency else None
    exists = db.session.scalar(
        select(CrisisContact).where(CrisisContact.msisdn == number, CrisisContact.regency_code.is_(code))
        if code is None
        else select(CrisisContact).where(CrisisContact.msisdn == number, CrisisContact.regency_code == code)
    )
    if exists:
        raise click.ClickException(f"{number} is already a contact for {code or 'the province'}.")
    db.session.add(CrisisContact(msisdn=number, name=name, regency_code=code))
    db.session.commit()
    click.echo(f"Added {number} ({name}) for {code or 'the province'}.")


@contacts_cli.command("list")
@click.option("--regency", help="Only this regency's contacts (province-wide ones are always listed).")
def list_contacts(regency: str | None) -> None:
    """List contacts: id, scope, number, name."""
    query = select(CrisisContact).order_by(CrisisContact.regency_code.is_not(None), CrisisContact.regency_code)
    if regency:
        code = regency_code(regency)
        query = query.where((CrisisContact.regency_code == code) | CrisisContact.regency_code.is_(None))
    for contact in db.session.scalars(query):
        click.echo(f"{contact.id}\t{contact.regency_code or 'province'}\t{contact.msisdn}\t{contact.name}")


@contacts_cli.command("remove")
@click.argument("contact_id", type=int)
def remove_contact(contact_id: int) -> None:
    """Remove a contact by its id (see `list`)."""
    contact = db.session.get(CrisisContact, contact_id)
    if contact is None:
        raise click.ClickException(f"No contact with id {contact_id}.")
    db.session.delete(contact)
    db.session.commit()
    click.echo(f"Removed {contact.msisdn}.")


@crisis_cli.command("escalate")
def escalate_command() -> None:
    """Escalate overdue unacknowledged incidents now (the worker also does this by itself)."""
    from app.backoffice.crisis import escalate_overdue

    refs = escalate_overdue(utcnow(), float(current_app.config["CRISIS_ESCALATE_AFTER"]))
    click.echo(f"Escalated {len(refs)} incident(s){': ' + ', '.join(refs) if refs else '.'}")


@click.command("backoffice-status")
@with_appcontext
def backoffice_status() -> None:
    """Which back office is configured and, for HTTP, its circuit breaker's state."""
    from app.backoffice import get_backoffice
    from app.backoffice.http import HttpBackOffice

    cfg = current_app.config
    click.echo(f"Back office: {cfg['BACKOFFICE']}")
    backoffice = get_backoffice()
    if isinstance(backoffice, HttpBackOffice):
        click.echo(f"URL: {backoffice.base_url}")
        click.echo(f"Circuit breaker: {backoffice.breaker.state()}")


def init_app(app: Flask) -> None:
    app.cli.add_command(contacts_cli)
    app.cli.add_command(crisis_cli)
    app.cli.add_command(backoffice_status)
