"""SMS in and out: filter by number, direction, status and date; PINs and codes starred out.

The scoping (a regency admin sees the messages recorded as its regency's when written) and the
redaction are the API's own (`app.api.messages`), so both show the same rows the same way.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import render_template, request
from sqlalchemy import Select, select

from app.api.messages import inbound_dict, outbound_dict, scoped
from app.console import bp
from app.console.pages import page_args, pages_of, parse_day
from app.console.roles import current_actor
from app.models import InboundMessage, OutboundMessage
from app.models.message import InboundStatus, OutboundStatus
from app.registry.msisdn import any_e164
from app.registry.queries import page
from menus.clock import day_start

STATUSES: dict[str, tuple[str, ...]] = {"in": tuple(InboundStatus), "out": tuple(OutboundStatus)}


def filtered(direction: str, number: str | None, status: str, since: date | None, until: date | None) -> Select[Any]:
    """The messages of one direction the admin may see, newest first."""
    model: Any = InboundMessage if direction == "in" else OutboundMessage
    party, at = (model.sender, model.received_at) if direction == "in" else (model.to, model.created_at)
    query = scoped(select(model).order_by(model.id.desc()), model, current_actor())
    if number:
        query = query.where(party == number)
    if status:
        query = query.where(model.status == status)
    if since:
        query = query.where(at >= day_start(since))
    if until:
        query = query.where(at < day_start(until + timedelta(days=1)))
    return query


def as_dict(direction: str, row: Any) -> dict[str, Any]:
    item = inbound_dict(row) if direction == "in" else outbound_dict(row)
    return item | {"when": row.received_at if direction == "in" else row.created_at}


def messages_of(msisdn: str, limit: int = 10) -> list[dict[str, Any]]:
    """The last messages to and from one number, newest first."""
    items = []
    for direction in ("in", "out"):
        rows, _ = page(filtered(direction, msisdn, "", None, None), 1, limit)
        items += [as_dict(direction, row) for (row,) in rows]
    return sorted(items, key=lambda item: item["when"], reverse=True)[:limit]


@bp.route("/messages")
def messages() -> str:
    """SMS in or out with delivery status, SMS parts and encoding."""
    direction = request.args.get("direction", "out")
    direction = direction if direction in STATUSES else "out"
    raw_number = request.args.get("msisdn", "").strip()[:32]
    number = (any_e164(raw_number) or raw_number) if raw_number else None
    status = request.args.get("status", "")
    status = status if status in STATUSES[direction] else ""
    since, until = parse_day(request.args.get("since", "")), parse_day(request.args.get("until", ""))
    number_, per_page = page_args()
    rows, total = page(filtered(direction, number, status, since, until), number_, per_page)
    args = {"direction": direction, "msisdn": raw_number, "status": status}
    args |= {"since": since.isoformat() if since else "", "until": until.isoformat() if until else ""}
    return render_template(
        "console/messages.html",
        items=[as_dict(direction, row) for (row,) in rows],
        total=total,
        page=number_,
        pages=pages_of(total, per_page),
        args={key: value for key, value in args.items() if value},
        filters=args,
        statuses=STATUSES[direction],
    )
