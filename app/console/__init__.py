"""The admins' web console under /console/: server-rendered pages, assets served locally.

Each page module registers its views on `bp` and its entry in `NAV`; `auth` signs admins
in and out; `roles` decides what a role may see and do. The registry's services do the
work, exactly as for the API.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask, Response, request

bp = Blueprint(
    "console",
    __name__,
    url_prefix="/console",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)


@dataclass(frozen=True)
class NavItem:
    """One entry of the navigation bar: endpoint, label, and the roles that see it."""

    endpoint: str
    label: str
    roles: tuple[str, ...] = ("province", "regency", "viewer")
    section: str = ""  # endpoints starting with this mark the entry current; default: endpoint less a plural s

    @property
    def prefix(self) -> str:
        return self.section or self.endpoint.removesuffix("s")


ALL_ROLES = ("province", "regency", "viewer")
# The navigation bar, in order; a new page adds its entry here (hidden from roles not listed).
NAV: list[NavItem] = [
    NavItem("console.index", "Ringkasan"),
    NavItem("console.crisis", "Crisis Center"),
    NavItem("console.reports", "Laporan"),
    NavItem("console.handsets", "Ponsel"),
    NavItem("console.import_form", "Impor CSV", ("province", "regency"), "console.import"),
    NavItem("console.officials", "Pejabat"),
    NavItem("console.messages", "Pesan SMS"),
    NavItem("console.broadcasts", "Siaran"),
    NavItem("console.audit", "Log audit"),
    NavItem("console.admins", "Admin", ("province",)),
    NavItem("console.phone", "Simulasi HP", ("province", "regency")),
    NavItem("console.operations", "Operasi", ("province",)),
]


def init_app(app: Flask) -> None:
    """Sessions, CSRF and sign-in for the console, then its pages."""
    from app.console import (  # noqa: F401 - importing registers the views
        admins,
        audit,
        auth,
        broadcasts,
        crisis,
        dashboard,
        handsets,
        imports,
        messages,
        officials,
        operations,
        pages,
        phone,
        reports,
    )

    auth.init_app(app)
    pages.init_app(app)
    app.after_request(framing_refused)
    if "console" not in app.blueprints:
        app.register_blueprint(bp)
    operations.init_app(app)


# Another site may not frame the console's pages (clickjacking: its block, retire and reset-PIN
# buttons), nor a browser guess a download's type.
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def framing_refused(response: Response) -> Response:
    """The console's security headers, on every answer under /console/ (rq-dashboard's too)."""
    if request.path.startswith("/console/"):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
    return response
