"""/api/v1/handsets: list, create, show, update, block, unblock, swap SIM, retire."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from app.api.auth import authenticate, current_actor
from app.api.blueprint import Blueprint
from app.api.schemas import (
    ActivationCodeOut,
    BlockIn,
    HandsetCreate,
    HandsetCreated,
    HandsetFilter,
    HandsetOut,
    HandsetPatch,
    SwapIn,
    page_of,
)
from app.models import Handset, Official
from app.registry import service
from app.registry.officials import NewOfficial
from app.registry.queries import get_handset, handsets_query, holder_of, page
from app.registry.rules import clean_imei

blp = Blueprint("handsets", __name__, url_prefix="/api/v1/handsets", description="Issued handsets by IMEI")
blp.before_request(authenticate)


def official_dict(official: Official | None) -> dict[str, Any] | None:
    if official is None:
        return None
    return {
        "id": official.id,
        "name": official.name,
        "nip": official.nip,
        "position": official.position,
        "regency_code": official.regency_code,
        "language": official.language,
        "has_pin": bool(official.pin_hash),
    }


def handset_dict(handset: Handset, official: Official | None = None, **extra: Any) -> dict[str, Any]:
    official = holder_of(handset, official)
    names: tuple[str, ...] = ("imei", "tac", "msisdn", "status", "block_reason", "regency_code")
    names += ("status_changed_at", "created_at", "updated_at")
    return {name: getattr(handset, name) for name in names} | {"official": official_dict(official)} | extra


@blp.route("")
class Handsets(MethodView):
    @blp.arguments(HandsetFilter, location="query")
    @blp.response(200, page_of(HandsetOut))
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List handsets (filter by regency, status, text), newest first."""
        query = handsets_query(current_actor(), args.get("regency"), args.get("status"), args.get("q"))
        rows, total = page(query, args["page"], args["per_page"])
        items = [handset_dict(handset, official) for handset, official in rows]
        return {"items": items, "page": args["page"], "per_page": args["per_page"], "total": total}

    @blp.arguments(HandsetCreate)
    @blp.response(201, HandsetCreated)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Register a handset; without `msisdn` it waits for AKTIF and gets an activation code."""
        actor = current_actor()
        new = body.get("official") or flat_official(body)
        added = service.add_handset(
            actor,
            imei=body["imei"],
            regency=body.get("regency") or actor.regency_code or "",
            msisdn=body.get("msisdn"),
            official_id=body.get("official_id"),
            official=NewOfficial(**new) if new else None,
        )
        return handset_dict(added.handset, activation_code=added.activation_code)


def flat_official(body: dict[str, Any]) -> dict[str, Any] | None:
    """The official given as the CSV's flat columns (official_name, nip, position, language)."""
    if "official_name" not in body:
        return None
    return {
        "name": body["official_name"],
        "nip": body.get("nip", ""),
        "position": body.get("position", ""),
        "language": body.get("language") or "id",
    }


@blp.route("/<imei>")
class HandsetItem(MethodView):
    @blp.response(200, HandsetOut)
    def get(self, imei: str) -> dict[str, Any]:
        """Show one handset."""
        return handset_dict(get_handset(current_actor(), imei))

    @blp.arguments(HandsetPatch)
    @blp.response(200, HandsetOut)
    def patch(self, body: dict[str, Any], imei: str) -> dict[str, Any]:
        """Bind to another official, or move to another regency (province admins)."""
        handset = service.update_handset(
            current_actor(), imei, official_id=body.get("official_id"), regency=body.get("regency")
        )
        return handset_dict(handset)


@blp.route("/<imei>/block", methods=["POST"])
@blp.arguments(BlockIn)
@blp.response(200, HandsetOut)
def block(body: dict[str, Any], imei: str) -> dict[str, Any]:
    """Block a lost, stolen or damaged handset (takes effect on the next USSD hop)."""
    return handset_dict(service.block(current_actor(), imei, body["reason"]))


@blp.route("/<imei>/unblock", methods=["POST"])
@blp.response(200, HandsetOut)
def unblock(imei: str) -> dict[str, Any]:
    """Unblock a handset."""
    return handset_dict(service.unblock(current_actor(), imei))


@blp.route("/<imei>/swap-sim", methods=["POST"])
@blp.arguments(SwapIn)
@blp.response(200, HandsetOut)
def swap_sim(body: dict[str, Any], imei: str) -> dict[str, Any]:
    """Bind a new SIM number."""
    return handset_dict(service.swap_sim(current_actor(), imei, body["msisdn"]))


@blp.route("/<imei>/retire", methods=["POST"])
@blp.response(200, HandsetOut)
def retire(imei: str) -> dict[str, Any]:
    """Take a handset out of service for good."""
    return handset_dict(service.retire(current_actor(), imei))


@blp.route("/<imei>/activation-code", methods=["POST"])
@blp.response(201, ActivationCodeOut)
def activation_code(imei: str) -> dict[str, Any]:
    """Issue a new activation code (shown once) for a handset waiting for its SIM."""
    code = service.reissue_activation(current_actor(), imei)
    return {"imei": clean_imei(imei), "activation_code": code}
