"""The admin API, /api/v1, documented at /api/openapi.json and /api/docs (flask-smorest)."""

from __future__ import annotations

from typing import Any

import swagger_ui_bundle
from flask import Flask, Response, send_from_directory
from flask_smorest import Api
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from app.errors import json_error
from app.registry.errors import RegistryError

API_CONFIG = {
    "API_TITLE": "Melek admin API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    # Swagger UI's files come from the swagger-ui-bundle package, served below: no CDN.
    "OPENAPI_SWAGGER_UI_URL": "/api/swagger-ui/",
    # Swagger UI would fetch a validity badge from validator.swagger.io (another host, and it
    # would learn the spec's address): off.
    "OPENAPI_SWAGGER_UI_CONFIG": {"validatorUrl": None},
}


class FieldError(Schema):
    field = fields.String(metadata={"description": "the input at fault (dotted path), empty for the whole body"})
    error = fields.String()


class ErrorOut(Schema):
    """Every error the API answers (app.errors.json_error)."""

    error = fields.Integer(required=True, metadata={"description": "the HTTP status code"})
    message = fields.String(required=True, metadata={"description": "Indonesian / English"})
    errors = fields.List(fields.Nested(FieldError), required=True, metadata={"description": "per-field reasons"})
    field = fields.String(allow_none=True, metadata={"description": "the field at fault, if one"})


class MelekApi(Api):
    """flask-smorest's Api, answering errors in the app's one JSON shape (app.errors)."""

    ERROR_SCHEMA = ErrorOut

    def handle_http_exception(self, error: HTTPException) -> Any:
        data = getattr(error, "data", None) or {}
        errors = field_errors(data.get("messages") or data.get("errors") or {})
        message = data.get("message") or error.description or error.name
        if errors:
            message = "Masukan tidak valid / invalid input: " + "; ".join(f"{e['field']}: {e['error']}" for e in errors)
        body, status = json_error(error.code or 500, message, **({"errors": errors} if errors else {}))
        for name, value in [*error.get_headers(), *(data.get("headers") or {}).items()]:
            if name.lower() != "content-type":  # a 405's Allow, a 401's WWW-Authenticate
                body.headers[name] = value
        return body, status


LOCATIONS = ("json", "query", "form", "files", "headers")


def field_errors(messages: dict[str, Any], prefix: str = "") -> list[dict[str, str]]:
    """Flatten webargs/marshmallow messages ({"json": {"imei": ["..."]}}) to field/reason pairs."""
    found: list[dict[str, str]] = []
    for key, value in messages.items():
        name = "" if not prefix and key in LOCATIONS else f"{prefix}.{key}".lstrip(".")
        if isinstance(value, dict):
            found.extend(field_errors(value, name or "."))
        else:
            texts = value if isinstance(value, list) else [value]
            found.extend({"field": name, "error": str(text)} for text in texts)
    return found


def registry_error(exc: RegistryError) -> tuple[Response, int]:
    """A refused registry operation: its status, message and the field at fault."""
    errors = [{"field": exc.field, "error": exc.message}] if exc.field else []
    return json_error(exc.status, exc.message, field=exc.field, errors=errors)


def init_app(app: Flask) -> None:
    """Mount the API blueprints and the OpenAPI document."""
    from app.api import admins, announcements, audit, broadcasts, handsets, imports, messages, officials, records

    for key, value in API_CONFIG.items():
        app.config.setdefault(key, value)
    api = MelekApi(app)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.spec.options["security"] = [{"bearer": []}]
    for module in (handsets, imports, officials, admins, audit, broadcasts, messages, records, announcements):
        api.register_blueprint(module.blp)
    app.register_error_handler(RegistryError, registry_error)
    app.add_url_rule("/api/swagger-ui/<path:filename>", "swagger_ui_files", swagger_ui_file)
    app.extensions["melek-api"] = api


def swagger_ui_file(filename: str) -> Response:
    """Swagger UI's JavaScript and CSS, from the installed swagger-ui-bundle package."""
    return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename, max_age=86400)
