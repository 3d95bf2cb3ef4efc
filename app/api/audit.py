"""/api/v1/audit: the audit trail (a regency admin sees its own regency's events)."""

from __future__ import annotations

from typing import Any

from app.api.auth import authenticate, current_actor
from app.api.blueprint import Blueprint
from app.api.schemas import AuditFilter, AuditOut, page_of
from app.registry.queries import audit_query, page

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit", description="Who changed what, when")
blp.before_request(authenticate)


@blp.route("", methods=["GET"])
@blp.arguments(AuditFilter, location="query")
@blp.response(200, page_of(AuditOut))
def audit_events(args: dict[str, Any]) -> dict[str, Any]:
    """Audit events, newest first (filter by object and action)."""
    query = audit_query(current_actor(), args.get("object_type"), args.get("object_id"), args.get("action"))
    rows, total = page(query, args["page"], args["per_page"])
    return {"items": [event for (event,) in rows], "page": args["page"], "per_page": args["per_page"], "total": total}
