"""What the signed-in admin's role may see and do.

viewer: reads only; regency admin: its own regency only (another regency's objects are
404, as in the API); province admin: everything. The registry's `Actor` enforces the
same rules again in every service, so a view that forgets a check still cannot write.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort, current_app
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.models import Admin, Regency
from app.models.admin import AdminRole
from app.registry.admins import actor_for
from app.registry.audit import Actor

WRITERS = (AdminRole.PROVINCE, AdminRole.REGENCY)
F = TypeVar("F", bound=Callable[..., Any])


def current_admin() -> Admin:
    """The signed-in admin (the console's views all run signed in)."""
    return cast(Admin, current_user.admin)


def current_actor() -> Actor:
    """The registry actor the signed-in admin acts as."""
    return actor_for(current_admin())


def has_role(*roles: str) -> bool:
    """True when the signed-in admin has one of `roles`."""
    return bool(current_user.is_authenticated) and current_admin().role in roles


def may_write() -> bool:
    """Viewers read only."""
    return has_role(*WRITERS)


def require_role(*roles: str) -> Callable[[F], F]:
    """Decorate a view: 403 unless the signed-in admin has one of `roles`."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapper)

    return decorate


def regency_scope() -> str | None:
    """The regency the admin is limited to, or None for province-wide."""
    return current_actor().regency_code


def regency_choices() -> list[tuple[str, str]]:
    """(code, name) of the regencies the admin may see and choose, by name."""
    query = select(Regency.code, Regency.name).order_by(Regency.name)
    scope = regency_scope()
    if scope is not None:
        query = query.where(Regency.code == scope)
    return [(code, name) for code, name in db.session.execute(query)]


def regency_names() -> dict[str, str]:
    """Every regency's name by code (for labels)."""
    return {code: name for code, name in db.session.execute(select(Regency.code, Regency.name))}


def template_helpers() -> dict[str, Any]:
    """Names the templates use to hide what a role may not do."""
    from app.console import NAV

    nav = [item for item in NAV if has_role(*item.roles) and item.endpoint in current_app.view_functions]
    return {
        "nav_items": nav,
        "may_write": may_write(),
        "has_role": has_role,
        "has_page": lambda endpoint: endpoint in current_app.view_functions,
        "ROLE_LABELS": ROLE_LABELS,
    }


ROLE_LABELS = {
    AdminRole.PROVINCE: "Admin provinsi",
    AdminRole.REGENCY: "Admin kab/kota",
    AdminRole.VIEWER: "Pemantau (hanya lihat)",
}
