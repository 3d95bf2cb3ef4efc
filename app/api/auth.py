"""Bearer-token authentication for /api/v1, with a Redis rate limit on failures.

The limit counts failures per client address, and only ever refuses further *failures*:
a valid token is checked first and always accepted, so one guesser behind a regency
office's NAT address cannot lock that office out.
"""

from __future__ import annotations

import logging

from flask import current_app, g, request
from flask_smorest import abort
from redis.exceptions import RedisError

from app.models import Admin
from app.models.admin import AdminRole
from app.redis_client import get_redis
from app.registry.admins import actor_for
from app.registry.audit import Actor
from app.registry.tokens import admin_for_token

log = logging.getLogger(__name__)
FAILURE_WINDOW = 900  # seconds
PREFIX = "melek:api:authfail:"


def client_key() -> str:
    return PREFIX + (request.remote_addr or "unknown")


def too_many_failures() -> bool:
    """True when this client failed too often lately (Redis down: no limit, but logged)."""
    try:
        count = get_redis().get(client_key())
    except RedisError:
        log.warning("api auth: rate limit unavailable (Redis)")
        return False
    return count is not None and int(count) >= int(current_app.config["API_AUTH_FAILURE_LIMIT"])


def note_failure() -> None:
    try:
        pipe = get_redis().pipeline()
        pipe.incr(client_key())
        pipe.expire(client_key(), FAILURE_WINDOW)
        pipe.execute()
    except RedisError:
        log.warning("api auth: could not count a failure (Redis)")


def authenticate() -> None:
    """before_request of every API blueprint: 401 without a valid token, 429 after many failures."""
    if request.method == "OPTIONS":
        return
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    presented = scheme.lower() == "bearer" and bool(token.strip())
    admin = admin_for_token(token.strip()) if presented else None
    if admin is None:
        if presented and too_many_failures():  # no token at all is no guess: plain 401
            abort(
                429,
                message="Terlalu banyak percobaan / too many failed attempts; try later.",
                headers={"Retry-After": str(FAILURE_WINDOW)},
            )
        if presented:
            note_failure()
        abort(
            401,
            message="Token tidak ada, salah atau kedaluwarsa / missing, invalid or expired bearer token.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    assert admin is not None  # abort() raised otherwise
    g.admin = admin
    g.actor = actor_for(admin)


def current_actor() -> Actor:
    actor: Actor = g.actor
    return actor


def current_admin() -> Admin:
    admin: Admin = g.admin
    return admin


def require_province() -> None:
    """403 unless the caller is a province admin (OPTIONS needs no token, so no role either)."""
    if request.method == "OPTIONS":
        return
    if current_admin().role != AdminRole.PROVINCE:
        abort(403, message="Hanya admin provinsi / province admins only.")


def require_writer() -> None:
    """403 for viewers."""
    current_actor().check_write()
