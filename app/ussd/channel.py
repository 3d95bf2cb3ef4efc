"""The hop's own Redis connection: the state write's reply rides on the next hop's read.

A USSD hop must read the session (and the cached caller) before it can compute the next
state, so a plain client pays two round trips per hop: the read, then the write. Here the
write is sent without waiting for its reply; that reply is read together with the next
hop's read on the same connection, so an ordinary hop waits for one round trip. A failed
write is still noticed (and logged) one hop later. Commands on one connection are handled
in order, and the write leaves before the HTTP answer does, so the next hop of the session,
whichever web worker takes it, finds the new state.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

import redis
from redis.connection import Connection
from redis.exceptions import ResponseError

log = logging.getLogger(__name__)


class Channel:
    """One connection, used by one thread at a time (see `channel_for`: one per thread)."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        self.conn: Connection | None = None
        self.pid = os.getpid()
        self.pending = 0

    def _connection(self) -> Connection:
        if self.conn is None or self.pid != os.getpid():  # never share a socket across a fork
            self.conn = self.client.connection_pool.make_connection()  # type: ignore[assignment]
            self.pid, self.pending = os.getpid(), 0
        assert self.conn is not None
        return self.conn

    def _drain(self, conn: Connection) -> None:
        while self.pending:
            self.pending -= 1
            try:
                conn.read_response(disable_decoding=True)
            except ResponseError as exc:  # the write was refused; the connection is fine
                log.error("ussd: session write failed", extra={"error": str(exc)[:80]})

    def mget(self, *keys: str) -> list[Any]:
        """MGET, after collecting the replies of earlier writes (one round trip in all)."""
        conn = self._connection()
        try:
            # No health-check PING here: its reply would be mistaken for a pending write's.
            conn.send_command("MGET", *keys, check_health=False)  # type: ignore[no-untyped-call]
            self._drain(conn)
            return list(conn.read_response(disable_decoding=True))
        except BaseException:
            self.reset()
            raise

    def set_later(self, key: str, value: str, ttl: int) -> None:
        """SET with a TTL; its reply is read by the next `mget`."""
        self.send_later("SET", key, value, "EX", ttl)

    def send_later(self, *command: str | int) -> None:
        """Send a write command now; its reply is read (and an error logged) by the next `mget`."""
        conn = self._connection()
        try:
            self.pending += 1  # counted first: an interruption after the send must not lose it
            conn.send_command(*command, check_health=False)  # type: ignore[no-untyped-call]
        except BaseException:
            self.reset()
            raise

    def reset(self) -> None:
        """Drop the connection (after an error or an interrupted hop): no stale replies remain."""
        if self.conn is not None:
            self.conn.disconnect()  # type: ignore[no-untyped-call]
        self.conn, self.pending = None, 0


_local = threading.local()


def channel_for(client: redis.Redis) -> Channel:
    """This thread's channel to `client` (gunicorn's gthread workers run hops side by side)."""
    ch: Channel | None = getattr(_local, "channel", None)
    if ch is None or ch.client is not client:
        if ch is not None:
            ch.reset()
        ch = Channel(client)
        _local.channel = ch
    return ch
