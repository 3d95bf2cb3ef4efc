"""/api/v1/admins: list and create admins (province admins only)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from app.api.auth import authenticate, current_actor, require_province
from app.api.schemas import AdminCreate, AdminCreated, AdminOut
from app.extensions import db
from app.models import Admin
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
