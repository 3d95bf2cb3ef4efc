"""`flask officials reset-pin OFFICIAL_ID`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from app.cli.refusals import registry_refusals
from app.registry.audit import CLI
from app.registry.pin_reset import reset_pin

group = AppGroup("officials", help="Field officials.")


@group.command("reset-pin")
@click.argument("official_id", type=int)
@registry_refusals
def reset_pin_command(official_id: int) -> None:
    """Clear an official's PIN and lockout (audited); the handset asks for a new PIN next dial."""
    official = reset_pin(CLI, official_id)
    click.echo(f"PIN of official {official.id} ({official.name}) reset: a new PIN is set on the next dial.")


def init_app(app: Flask) -> None:
    app.cli.add_command(group)
