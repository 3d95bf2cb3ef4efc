"""`flask broadcast`: send a text to all handsets, some regencies or a list; show counts."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from redis.exceptions import RedisError

from app.extensions import db
from app.models import Broadcast
from app.sms.broadcasts import BroadcastError, create_broadcast, describe, enqueue_broadcast


@click.command("broadcast")
@click.argument("message", required=False)
@click.option("--regency", "regencies", multiple=True, help="BPS code (repeatable); default: every regency.")
@click.option("--to", "numbers", multiple=True, help="A number (repeatable) instead of handsets.")
@click.option("--numbers-file", type=click.Path(exists=True, dir_okay=False), help="One number per line.")
@click.option("--urgent", is_flag=True, help="Send even in quiet hours (21:00-06:00 WITA).")
@click.option("--show", "show_id", type=int, help="Show broadcast ID and its counts instead.")
@with_appcontext
def broadcast_command(
    message: str | None,
    regencies: tuple[str, ...],
    numbers: tuple[str, ...],
    numbers_file: str | None,
    urgent: bool,
    show_id: int | None,
) -> None:
    """Queue MESSAGE as a broadcast (the worker sends it), or --show one."""
    if show_id is not None:
        found = db.session.get(Broadcast, show_id)
        if found is None:
            raise click.ClickException(f"No broadcast {show_id}.")
        click.echo(json.dumps(describe(found), indent=2))
        return
    if not message:
        raise click.UsageError("Give the MESSAGE to send (or --show ID).")
    listed = list(numbers)
    if numbers_file:
        listed += [line.strip() for line in Path(numbers_file).read_text().splitlines() if line.strip()]
    try:
        broadcast = create_broadcast(
            message, regencies=list(regencies), numbers=listed, urgent=urgent, created_by="cli"
        )
    except BroadcastError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    try:
        enqueue_broadcast(broadcast.id)
    except RedisError:
        click.echo("Redis is unreachable: the worker's broadcast sweeper will start it.", err=True)
    click.echo(f"Broadcast {broadcast.id} queued; `flask broadcast --show {broadcast.id}` for its counts.")


def init_app(app: Flask) -> None:
    app.cli.add_command(broadcast_command)
