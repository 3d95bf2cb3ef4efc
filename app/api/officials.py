"""/api/v1/officials: list, show, update."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from app.api.auth import authenticate, current_actor
from app.api.blueprint import Blueprint
from app.api.handsets import official_dict
from app.api.schemas import OfficialFilter, OfficialOut, OfficialPatch, page_of
from app.registry.officials import update_official
from app.registry.pin_reset import reset_pin
from app.registry.queries import get_official, officials_query, page, resolve_regency

blp = Blueprint("officials", __name__, url_prefix="/api/v1/officials", description="Field officials")
blp.before_request(authenticate)


@blp.route("")
class Officials(MethodView):
    @blp.arguments(OfficialFilter, location="query")
    @blp.response(200, page_of(OfficialOut))
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List officials (filter by regency, name or NIP)."""
        rows, total = page(
            officials_query(current_actor(), args.get("regency"), args.get("q")), args["page"], args["per_page"]
        )
        items = [official_dict(official) for (official,) in rows]
        return {"items": items, "page": args["page"], "per_page": args["per_page"], "total": total}


@blp.route("/<int:official_id>")
class OfficialItem(MethodView):
    @blp.response(200, OfficialOut)
    def get(self, official_id: int) -> dict[str, Any] | None:
        """Show one official."""
        return official_dict(get_official(current_actor(), official_id))

    @blp.arguments(OfficialPatch)
    @blp.response(200, OfficialOut)
    def patch(self, body: dict[str, Any], official_id: int) -> dict[str, Any] | None:
        """Update name, NIP, position, language; moving regency is for province admins."""
        actor = current_actor()
        get_official(actor, official_id)  # 404 before anything else outside the scope
        regency = body.pop("regency", None)
        code = resolve_regency(regency) if regency else None
        return official_dict(update_official(actor, official_id, regency_code=code, **body))


@blp.route("/<int:official_id>/reset-pin", methods=["POST"])
@blp.response(200, OfficialOut)
def reset(official_id: int) -> dict[str, Any] | None:
    """Clear the official's PIN and any lockout (audited); the handset asks for a new PIN next dial."""
    return official_dict(reset_pin(current_actor(), official_id))
