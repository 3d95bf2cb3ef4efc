"""/api/v1/admins: list and create admins (province admins only)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from app.api.auth import authenticate, current_actor, require_province
from app.api.blueprint import Blueprint
from app.api.schemas import AdminCreate, AdminCreated, AdminOut
from app.extensions import db
from app.models import Admin, ApiToken
from app.registry import tokens
from app.registry.admins import create_admin, deactivate_admin

blp = Blueprint("admins", __name__, url_prefix="/api/v1/admins", description="Administrators (province only)")
blp.before_request(authenticate)
blp.before_request(require_province)


@blp.route("")
class Admins(MethodView):
    @blp.response(200, AdminOut(many=True))
    def get(self) -> list[Admin]:
        """List admins."""
        return list(db.session.scalars(select(Admin).order_by(Admin.username)))

    @blp.arguments(AdminCreate)
    @blp.response(201, AdminCreated)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create an admin; the answer holds its API token, shown this once."""
        created = create_admin(
            current_actor(), body["username"], body["role"], body.get("regency"), body.get("password")
        )
        admin = created.admin
        fields = ("id", "username", "role", "regency_code", "active")
        return {name: getattr(admin, name) for name in fields} | {"token": created.token}


@blp.route("/<int:admin_id>/deactivate", methods=["POST"])
@blp.response(200, AdminOut)
def deactivate(admin_id: int) -> Admin:
    """Switch an admin off and revoke its API tokens."""
    return deactivate_admin(current_actor(), admin_id)


class TokenOut(Schema):
    id = fields.Integer()
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True, metadata={"description": "to within a few minutes"})
    expires_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


class TokenIn(Schema):
    days = fields.Integer(
        load_default=None, allow_none=True, strict=True, validate=validate.Range(min=1, max=tokens.MAX_DAYS),
        metadata={"description": "lifetime; default API_TOKEN_DAYS (90)"},
    )  # fmt: skip


class TokenCreated(Schema):
    token = fields.String(metadata={"description": "Shown once; only its hash is stored"})


@blp.route("/<int:admin_id>/tokens")
class AdminTokens(MethodView):
    @blp.response(200, TokenOut(many=True))
    def get(self, admin_id: int) -> list[ApiToken]:
        """An admin's API tokens (never their values): when made, last used, expiring, revoked."""
        return tokens.tokens_of(current_actor(), admin_id=admin_id)

    @blp.arguments(TokenIn, required=False)
    @blp.response(201, TokenCreated)
    def post(self, body: dict[str, Any], admin_id: int) -> dict[str, str]:
        """Issue another token for the admin; the answer holds it, shown this once."""
        return {"token": tokens.issue_token(current_actor(), admin_id=admin_id, days=body.get("days"))}


@blp.route("/<int:admin_id>/tokens/<int:token_id>/revoke", methods=["POST"])
@blp.response(200, TokenOut)
def revoke(admin_id: int, token_id: int) -> ApiToken:
    """Revoke one token at once (idempotent); the admin's other tokens keep working."""
    return tokens.revoke_token(current_actor(), token_id, admin_id=admin_id)
