"""`flask sms outbox|send`: see what Melek sent (or kept, with SMS_GATEWAY=outbox); send one."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.models import OutboundMessage
from app.registry.msisdn import to_e164
from app.sms.outbox import queue_sms

sms_cli = AppGroup("sms", help="SMS outbox and test sends.")


@sms_cli.command("outbox")
@click.option("--to", "number", help="Only messages to this number.")
@click.option("--limit", default=20, show_default=True, help="How many, newest first.")
def outbox_command(number: str | None, limit: int) -> None:
    """List outbound SMS with their status (with SMS_GATEWAY=outbox they all stay here)."""
    query = select(OutboundMessage).order_by(OutboundMessage.id.desc()).limit(limit)
    if number:
        query = query.where(OutboundMessage.to == (to_e164(number) or number))
    for m in db.session.scalars(query):
        reason = f" ({m.failure_reason})" if m.failure_reason else ""
        click.echo(f"#{m.id} {m.created_at:%Y-%m-%d %H:%M} {m.to} [{m.status}{reason}] {m.text}")


@sms_cli.command("send")
@click.argument("number")
@click.argument("text")
def send_command(number: str, text: str) -> None:
    """Queue one SMS through the configured gateway (a running worker sends it)."""
    to = to_e164(number)
    if to is None:
        raise click.ClickException(f"{number!r} is not an Indonesian mobile number.")
    message = queue_sms(to, text, kind="manual")
    db.session.commit()
    click.echo(f"Queued #{message.id} to {to} ({message.encoding}, {message.parts} part(s)).")


def init_app(app: Flask) -> None:
    app.cli.add_command(sms_cli)
