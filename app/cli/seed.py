"""`flask seed [--demo]`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from app import seed


@click.command("seed")
@click.option("--demo", is_flag=True, help="Also add demo officials, handsets and announcements.")
@with_appcontext
def seed_command(demo: bool) -> None:
    """Load the 14 kabupaten/kota of East Kalimantan (idempotent)."""
    if demo and current_app.config["MELEK_ENV"] == "production":
        raise click.ClickException("Refused: demo data (with a known PIN) is never loaded in production.")
    changed = seed.seed_regencies()
    click.echo(f"Regencies: {len(seed.REGENCIES)} present ({changed} added or corrected).")
    if demo:
        added = seed.seed_demo()
        click.echo(f"Demo data: {added} rows added.")
        click.echo(f"Demo phone number: {seed.DEMO_MSISDN} (PIN {seed.DEMO_PIN})")
        from app.backoffice.demo import seed_demo_records

        refs = seed_demo_records()
        if refs:
            click.echo(f"Demo reference to check (menu 2 or SMS STATUS): {refs[0]}")


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_command)
