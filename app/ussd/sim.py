"""`flask ussd-sim --phone NUMBER [--url URL]`: a terminal phone for trying the USSD menus.

It builds the cumulative `text` and the `sessionId` exactly as the gateway does, shows each
screen in a phone-like box with its length, and after the last screen lists the SMS the
outbox holds for the number (what the official would receive).
"""

from __future__ import annotations

import secrets
import textwrap
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import datetime

import click
from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import OutboundMessage
from app.models.base import utcnow
from app.registry.msisdn import any_e164

WIDTH = 28  # characters per line on a basic phone's screen


def phone_box(body: str, limit: int) -> str:
    """The screen drawn as a phone display, with its length against the limit."""
    lines: list[str] = []
    for line in body.split("\n"):
        lines.extend(textwrap.wrap(line, WIDTH) or [""])
    count = f" {len(body)}/{limit} "
    top = "+" + "-" * (WIDTH + 2) + "+"
    bottom = "+" + count.center(WIDTH + 2, "-") + "+"
    return "\n".join([top, *(f"| {line:<{WIDTH}} |" for line in lines), bottom])


def in_process_poster() -> Callable[[dict[str, str]], str]:
    """Post callbacks to this app without a server."""
    client = current_app.test_client()

    def post(form: dict[str, str]) -> str:
        return client.post("/ussd", data=form).get_data(as_text=True)

    return post


def http_poster(url: str) -> Callable[[dict[str, str]], str]:
    """Post callbacks to a running server, as the gateway would."""

    def post(form: dict[str, str]) -> str:
        data = urllib.parse.urlencode(form).encode()
        with urllib.request.urlopen(url, data=data, timeout=15) as response:  # noqa: S310 - the operator's URL
            return str(response.read().decode())

    return post


def outbox_since(msisdn: str, since: datetime) -> list[OutboundMessage]:
    """SMS queued for the number since the session began (this app's database)."""
    query = select(OutboundMessage).where(OutboundMessage.to == msisdn, OutboundMessage.created_at >= since)
    return list(db.session.scalars(query.order_by(OutboundMessage.id)))


@click.command("ussd-sim")
@click.option("--phone", required=True, help="The caller's number, e.g. +6281350000001.")
@click.option("--url", default=None, help="A running server's /ussd URL (default: in-process).")
def ussd_sim(phone: str, url: str | None) -> None:
    """Dial the USSD service from the terminal; type each answer, Ctrl-D to hang up."""
    msisdn = any_e164(phone) or phone
    post = http_poster(url) if url else in_process_poster()
    session_id = "ATUid_sim_" + secrets.token_hex(8)
    code = current_app.config["USSD_SERVICE_CODE"]
    limit = int(current_app.config["USSD_MAX_CHARS"])
    started = utcnow()
    inputs: list[str] = []
    click.echo(f"Dialling {code} from {msisdn} (session {session_id})")
    while True:
        form = {"sessionId": session_id, "serviceCode": code, "phoneNumber": msisdn, "networkCode": "51010"}
        body = post(form | {"text": "*".join(inputs)})
        click.echo(phone_box(body, limit))
        if not body.startswith("CON "):
            break
        try:
            inputs.append(input("> "))
        except EOFError:
            click.echo("\nHung up.")
            return
    if not url:
        for message in outbox_since(msisdn, started):
            click.echo(f"SMS to {message.to} [{message.status}]: {message.text}")
