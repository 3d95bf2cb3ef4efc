"""Redis connections: one client per app, created on first use with short timeouts."""

from __future__ import annotations

from typing import cast

import redis
from flask import Flask, current_app

# A webhook must answer within its budget even when Redis hangs: fail fast instead.
WEB_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}


def get_redis(app: Flask | None = None) -> redis.Redis:
    """The app's shared Redis client (connection pool), for web requests and jobs."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    client = app.extensions.get("redis")
    if client is None:
        client = redis.Redis.from_url(app.config["REDIS_URL"], health_check_interval=30, **WEB_TIMEOUTS)
        app.extensions["redis"] = client
    return cast(redis.Redis, client)


def worker_redis(url: str) -> redis.Redis:
    """A client for an RQ worker: its blocking dequeue must not hit a short socket timeout."""
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=None, health_check_interval=30)
