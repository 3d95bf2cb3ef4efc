"""The audit log: who changed what, when; filter by admin, object, action and date."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template, request
from sqlalchemy import select

from app.console import bp
from app.console.pages import page_args, pages_of, parse_day
from app.console.roles import current_actor
from app.extensions import db
from app.models import AuditEvent
from app.registry.queries import audit_query, page
from menus.clock import day_start

OBJECT_TYPES = {"handset": "Ponsel", "official": "Pejabat", "admin": "Admin", "import": "Impor", "broadcast": "Siaran"}


@bp.route("/audit")
def audit() -> str:
    """Audit events, newest first (a regency admin sees its own regency's)."""
    args = {name: request.args.get(name, "").strip()[:80] for name in ("by", "object_type", "object_id", "action")}
    since, until = parse_day(request.args.get("since", "")), parse_day(request.args.get("until", ""))
    query = audit_query(
        current_actor(),
        args["object_type"] or None,
        args["object_id"] or None,
        args["action"] or None,
        by=args["by"] or None,
        since=day_start(since) if since else None,
        until=day_start(until + timedelta(days=1)) if until else None,
    )
    number, per_page = page_args()
    rows, total = page(query, number, per_page)
    args |= {"since": since.isoformat() if since else "", "until": until.isoformat() if until else ""}
    actions = db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    return render_template(
        "console/audit.html",
        events=[event for (event,) in rows],
        total=total,
        page=number,
        pages=pages_of(total, per_page),
        args={key: value for key, value in args.items() if value},
        filters=args,
        actions=list(actions),
        object_types=OBJECT_TYPES,
    )
