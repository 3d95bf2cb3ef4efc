"""`flask admins create|token|set-password|list`."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from app.cli.refusals import registry_refusals
from app.extensions import db
from app.models import Admin
from app.models.admin import AdminRole
from app.registry import admins, tokens
from app.registry.audit import CLI

group = AppGroup("admins", help="Console and API administrators.")


@group.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([c.value for c in AdminRole]), required=True)
@click.option("--regency", help="BPS code or name; required for --role regency.")
@click.option("--password", is_flag=True, help="Also set a console password (prompted).")
@registry_refusals
def create(username: str, role: str, regency: str | None, password: bool) -> None:
    """Create an admin and print its API token once."""
    secret = click.prompt("Password", hide_input=True, confirmation_prompt=True) if password else None
    created = admins.create_admin(CLI, username, role, regency, secret)
    scope = created.admin.regency_code or "all regencies"
    click.echo(f"Admin {created.admin.username} ({created.admin.role}, {scope}) created.")
    click.echo(f"API token (shown once, keep it secret): {created.token}")


@group.command("token")
@click.argument("username")
@click.option("--days", type=int, help="Lifetime in days (default API_TOKEN_DAYS, 90).")
@registry_refusals
def token(username: str, days: int | None) -> None:
    """Issue another API token for an admin and print it once."""
    value = tokens.issue_token(CLI, username, days=days)
    click.echo(f"API token (shown once, keep it secret): {value}")


@group.command("tokens")
@click.argument("username")
@registry_refusals
def list_tokens(username: str) -> None:
    """List an admin's tokens: id, created, last used, expires, revoked (never the values)."""
    rows = tokens.tokens_of(CLI, username=username)
    for row in rows:
        times = (row.created_at, row.last_used_at, row.expires_at, row.revoked_at)
        click.echo(f"{row.id}\t" + "\t".join(t.strftime("%Y-%m-%d %H:%M") if t else "-" for t in times))


@group.command("revoke-token")
@click.argument("token_id", type=int)
@registry_refusals
def revoke_token(token_id: int) -> None:
    """Revoke one API token by its id (see `flask admins tokens USERNAME`)."""
    tokens.revoke_token(CLI, token_id)
    click.echo(f"Token {token_id} revoked.")


@group.command("set-password")
@click.argument("username")
@registry_refusals
def set_password(username: str) -> None:
    """Set a console password: prompted twice on a terminal, else one line from standard input."""
    if sys.stdin.isatty():
        secret = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        secret = sys.stdin.readline().rstrip("\r\n")
    admin = admins.set_password(CLI, username, secret)
    click.echo(f"Console password of {admin.username} set.")


@group.command("list")
def list_admins() -> None:
    """List admins with their role and regency."""
    for admin in db.session.scalars(select(Admin).order_by(Admin.username)):
        click.echo(
            f"{admin.username}\t{admin.role}\t{admin.regency_code or '-'}\t{'active' if admin.active else 'off'}"
        )


def init_app(app: Flask) -> None:
    app.cli.add_command(group)
