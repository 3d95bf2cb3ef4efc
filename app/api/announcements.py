"""/api/v1/announcements and /api/v1/crisis-contacts (regency admins: their own regency only)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from sqlalchemy import or_, select
from werkzeug.exceptions import NotFound

from app.api.auth import authenticate, current_actor, require_writer
from app.api.blueprint import Blueprint
from app.api.records_schemas import AnnouncementIn, AnnouncementOut, ContactIn, ContactOut
from app.backoffice.admin import publish_announcement
from app.backoffice.contacts import add_contact, remove_contact
from app.extensions import db
from app.models import Announcement, CrisisContact
from app.registry.queries import resolve_regency

blp = Blueprint("announcements", __name__, url_prefix="/api/v1", description="Announcements and Crisis Center contacts")
blp.before_request(authenticate)


def scope_clause(column: Any) -> Any:
    """Rows of the actor's regency plus province-wide ones (everything for the province)."""
    scope = current_actor().regency_code
    return True if scope is None else or_(column == scope, column.is_(None))


@blp.route("/announcements")
class Announcements(MethodView):
    @blp.response(200, AnnouncementOut(many=True))
    def get(self) -> list[Announcement]:
        """The 50 newest announcements the admin's officials see."""
        query = select(Announcement).where(scope_clause(Announcement.regency_code))
        return list(db.session.scalars(query.order_by(Announcement.published_at.desc()).limit(50)))

    @blp.arguments(AnnouncementIn)
    @blp.response(201, AnnouncementOut)
    def post(self, body: dict[str, Any]) -> Announcement:
        """Publish for a regency (or, province admins only, the whole province: `regency` null)."""
        require_writer()
        actor = current_actor()
        regency = resolve_regency(body["regency"]) if body.get("regency") else None
        published = publish_announcement(actor.regency_code, regency, body["title"], body["body"], by=actor.name)
        if published is None:
            raise NotFound("Kab/kota tidak ditemukan / regency not found.")
        return published


@blp.route("/crisis-contacts")
class Contacts(MethodView):
    @blp.response(200, ContactOut(many=True))
    def get(self) -> list[CrisisContact]:
        """Who is alerted about disasters: the regency's contacts and the province's."""
        query = select(CrisisContact).where(scope_clause(CrisisContact.regency_code))
        return list(db.session.scalars(query.order_by(CrisisContact.id)))

    @blp.arguments(ContactIn)
    @blp.response(201, ContactOut)
    def post(self, body: dict[str, Any]) -> CrisisContact:
        """Add a contact for a regency (regency admins: their own) or the province (`regency` null)."""
        require_writer()
        regency = resolve_regency(body["regency"]) if body.get("regency") else None
        return add_contact(current_actor(), regency, body["name"], body["msisdn"])


@blp.route("/crisis-contacts/<int:contact_id>")
class ContactItem(MethodView):
    @blp.response(204)
    def delete(self, contact_id: int) -> None:
        """Remove a contact (regency admins: their own regency's only)."""
        require_writer()
        remove_contact(current_actor(), contact_id)
