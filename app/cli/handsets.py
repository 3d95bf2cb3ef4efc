"""`flask handsets add|import|show|block|unblock|swap-sim|retire|activation-code`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from app.extensions import db
from app.models import Official
from app.models.handset import BlockReason
from app.registry import activation, service
from app.registry.audit import CLI
from app.registry.errors import RegistryError
from app.registry.importer import ImportResult, import_csv
from app.registry.officials import NewOfficial
from app.registry.queries import get_handset

group = AppGroup("handsets", help="Provision and manage handsets by IMEI.")


def fail(exc: RegistryError) -> click.ClickException:
    where = f"{exc.field}: " if exc.field else ""
    return click.ClickException(where + exc.message)


def show_handset(imei: str) -> None:
    handset = get_handset(CLI, imei)
    official = db.session.get(Official, handset.official_id) if handset.official_id else None
    click.echo(f"IMEI      {handset.imei} (TAC {handset.tac})")
    click.echo(f"Number    {handset.msisdn or '-'}")
    click.echo(f"Status    {handset.status}{f' ({handset.block_reason})' if handset.block_reason else ''}")
    click.echo(f"Regency   {handset.regency_code}")
    click.echo(f"Official  {f'{official.name} (NIP {official.nip}, id {official.id})' if official else '-'}")
    click.echo(f"Changed   {handset.status_changed_at:%Y-%m-%d %H:%M} UTC")


@group.command("add")
@click.argument("imei")
@click.option("--regency", required=True, help="BPS code or name.")
@click.option("--msisdn", help="SIM number; leave out to issue an activation code (AKTIF by SMS).")
@click.option("--name", "name", required=True, help="Official's name.")
@click.option("--nip", required=True, help="Official's 18-digit NIP.")
@click.option("--position", default="")
@click.option("--language", type=click.Choice(("id", "en")), default="id")
def add(imei: str, regency: str, msisdn: str | None, name: str, nip: str, position: str, language: str) -> None:
    """Register a handset and its official."""
    try:
        added = service.add_handset(
            CLI, imei=imei, regency=regency, msisdn=msisdn, official=NewOfficial(name, nip, position, language)
        )
    except RegistryError as exc:
        raise fail(exc) from None
    show_handset(added.handset.imei)
    if added.activation_code:
        click.echo(f"Activation code (shown once): {added.activation_code}  -> SMS: AKTIF {imei} <code>")


@group.command("show")
@click.argument("imei")
def show(imei: str) -> None:
    """Show one handset."""
    try:
        show_handset(imei)
    except RegistryError as exc:
        raise fail(exc) from None


@group.command("block")
@click.argument("imei")
@click.option("--reason", type=click.Choice([c.value for c in BlockReason]), required=True)
def block(imei: str, reason: str) -> None:
    """Block a lost, stolen or damaged handset (effective on the next USSD hop)."""
    run(lambda: service.block(CLI, imei, reason), imei)


@group.command("unblock")
@click.argument("imei")
def unblock(imei: str) -> None:
    """Unblock a handset."""
    run(lambda: service.unblock(CLI, imei), imei)


@group.command("swap-sim")
@click.argument("imei")
@click.argument("msisdn", required=False)
@click.option("--msisdn", "msisdn_option", help="New SIM number (or give it as the second argument).")
def swap_sim(imei: str, msisdn: str | None, msisdn_option: str | None) -> None:
    """Bind a new SIM number to a handset."""
    number = msisdn or msisdn_option
    if not number:
        raise click.UsageError("Give the new number: flask handsets swap-sim IMEI MSISDN")
    run(lambda: service.swap_sim(CLI, imei, number), imei)


@group.command("retire")
@click.argument("imei")
def retire(imei: str) -> None:
    """Take a handset out of service for good."""
    run(lambda: service.retire(CLI, imei), imei)


@group.command("activation-code")
@click.argument("imei")
def activation_code(imei: str) -> None:
    """Issue a new activation code for a provisioned handset (shown once)."""
    try:
        code = service.reissue_activation(CLI, imei)
    except RegistryError as exc:
        raise fail(exc) from None
    click.echo(f"Activation code (shown once): {code}  -> SMS: AKTIF {imei} <code>; expires {activation.expiry_ttl()}")


def run(action: Callable[[], object], imei: str) -> None:
    try:
        action()
    except RegistryError as exc:
        raise fail(exc) from None
    show_handset(imei)


@group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file only; import nothing.")
@click.option("--skip-invalid", is_flag=True, help="Import the good rows, report the bad ones.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def import_file(file: Path, dry_run: bool, skip_invalid: bool, as_json: bool) -> None:
    """Import handsets from a CSV (imei,msisdn,regency,official_name,nip,position,language)."""
    data = file.read_bytes()
    try:
        if sys.stdout.isatty() and not as_json:
            with click.progressbar(length=max(data.count(b"\n"), 1), label="Checking rows") as bar:
                result = import_csv(data, CLI, dry_run=dry_run, skip_invalid=skip_invalid, progress=bar.update)
        else:
            result = import_csv(data, CLI, dry_run=dry_run, skip_invalid=skip_invalid)
    except RegistryError as exc:
        raise fail(exc) from None
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        report(result, skip_invalid)
    if result.rejected and (not skip_invalid or not result.valid):
        sys.exit(1)


def report(result: ImportResult, skip_invalid: bool) -> None:
    for rejection in result.rejected:
        click.echo(f"line {rejection.line}, {rejection.field}: {rejection.error}", err=True)
    if result.dry_run:
        click.echo(f"Dry run: {result.valid} rows valid, {len(result.rejected)} problems; nothing imported.")
    elif result.rejected and not skip_invalid:
        click.echo(f"Refused: {len(result.rejected)} problems; nothing imported (fix them or use --skip-invalid).")
    else:
        click.echo(f"Imported {result.imported} handsets; {len(result.rejected)} problems skipped.")
    if result.activation_codes:
        click.echo("Activation codes (shown once; the official sends AKTIF <IMEI> <code> by SMS):")
        for imei, code in result.activation_codes:
            click.echo(f"{imei}\t{code}")


def init_app(app: Flask) -> None:
    app.cli.add_command(group)
