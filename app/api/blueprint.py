"""The API's Blueprint: flask-smorest's, with a stricter argument parser.

webargs is lenient where a fuzzer (and the OpenAPI document) expects a refusal: a JSON
operation given a body of another content type reads it as "no body", and a scalar query
parameter given twice silently takes the first value. Here the first is a 415 and the
second a 422, both in the API's one error shape; so is a missing body where one is required.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import flask
import flask_smorest
import marshmallow as ma
from flask_smorest import abort
from webargs import core
from webargs.flaskparser import FlaskParser


class StrictParser(FlaskParser):
    """Refuse non-JSON bodies on JSON operations and repeated scalar query parameters."""

    def _raw_load_json(self, req: flask.Request) -> Any:
        if not core.is_json(req.mimetype):
            if req.get_data(cache=True).strip():
                abort(415, message="Kirim JSON / send the body as application/json.")
            return core.missing
        return super()._raw_load_json(req)

    def load_querystring(self, req: flask.Request, schema: ma.Schema) -> Any:
        proxy = super().load_querystring(req, schema)
        repeated = sorted(key for key in req.args if len(req.args.getlist(key)) > 1 and key not in proxy.multiple_keys)
        if repeated:
            errors = {"query": {key: ["Hanya satu nilai / give this parameter once."] for key in repeated}}
            abort(422, errors=errors, message="Masukan tidak valid / invalid input.")
        return proxy


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint with the StrictParser, and a JSON body required where documented so."""

    ARGUMENTS_PARSER = StrictParser()

    def arguments(self, schema: Any, *, location: str = "json", required: bool = True, **kwargs: Any) -> Any:
        decorator = super().arguments(schema, location=location, required=required, **kwargs)
        if location != "json" or not required:
            return decorator

        def with_body_check(func: Callable[..., Any]) -> Callable[..., Any]:
            parsed = decorator(func)

            @functools.wraps(parsed)
            def view(*args: Any, **view_kwargs: Any) -> Any:
                if not flask.request.get_data(cache=True).strip():  # webargs would read "no body" as {}
                    abort(422, message="Badan JSON wajib / a JSON body is required.")
                return parsed(*args, **view_kwargs)

            return view

        return with_body_check
