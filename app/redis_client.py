"""Redis connections: one client per app, created on first use, that recovers after an outage.

Web requests must answer within their budget even when Redis is down or hangs, so their
client fails fast: short socket timeouts and a single retry. The retry is what brings the
client back after a Redis restart: a pooled connection that died with the old server fails
once, is reconnected and the command sent again. Connections come from redis-py's own pool
and always go back to it (only its public API is used), so an outage cannot use them up.
"""

from __future__ import annotations

from typing import cast

import redis
from flask import Flask, current_app
from redis.backoff import NoBackoff
from redis.retry import Retry


def get_redis(app: Flask | None = None) -> redis.Redis:
    """The app's shared Redis client (connection pool), for web requests and jobs."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    client = app.extensions.get("redis")
    if client is None:
        client = redis.Redis.from_url(
            app.config["REDIS_URL"],
            socket_connect_timeout=0.5,
            socket_timeout=1.0,
            retry=Retry(NoBackoff(), retries=1),  # redis-py's default retries for seconds: past any budget
            health_check_interval=30,
        )
        app.extensions["redis"] = client
    return cast(redis.Redis, client)


def worker_redis(url: str) -> redis.Redis:
    """A client for an RQ worker: its blocking dequeue must not hit a short socket timeout."""
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=None, health_check_interval=30)
