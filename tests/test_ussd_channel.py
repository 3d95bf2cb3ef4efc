"""The hop's Redis channel: a write's reply is collected with the next read, errors are noticed."""

from __future__ import annotations

import logging
import threading

import pytest
import redis as redis_lib

from app.ussd.channel import Channel, channel_for
from tests.conftest import TEST_REDIS_URL


def test_write_lands_and_its_reply_is_read_with_the_next_read(redis: redis_lib.Redis) -> None:
    channel = Channel(redis_lib.Redis.from_url(TEST_REDIS_URL))
    channel.set_later("k1", "v1", 60)
    channel.set_later("k2", "v2", 60)
    assert channel.pending == 2
    assert channel.mget("k1", "k2", "nope") == [b"v1", b"v2", None]
    assert channel.pending == 0
    assert 0 < redis.ttl("k1") <= 60
    channel.reset()


def test_a_failed_write_is_logged_on_the_next_read(redis: redis_lib.Redis, caplog: pytest.LogCaptureFixture) -> None:
    redis.rpush("a-list", "x")
    channel = Channel(redis_lib.Redis.from_url(TEST_REDIS_URL))
    channel.set_later("a-list", "v", -5)  # an invalid expire time: Redis answers with an error
    with caplog.at_level(logging.ERROR):
        assert channel.mget("a-list") == [None]
    assert any("session write failed" in r.getMessage() for r in caplog.records)
    channel.reset()


def test_a_forked_process_opens_its_own_connection(redis: redis_lib.Redis) -> None:
    channel = Channel(redis_lib.Redis.from_url(TEST_REDIS_URL))
    channel.mget("x")
    first = channel.conn
    channel.pid = -1  # as if this were a child process after fork
    channel.mget("x")
    assert channel.conn is not first
    channel.reset()
    assert first is not None
    first.disconnect()


def test_each_thread_gets_its_own_channel(redis: redis_lib.Redis) -> None:
    client = redis_lib.Redis.from_url(TEST_REDIS_URL)
    seen: list[Channel] = []
    worker = threading.Thread(target=lambda: seen.append(channel_for(client)))
    worker.start()
    worker.join()
    mine = channel_for(client)
    assert seen and seen[0] is not mine
    assert channel_for(client) is mine
    mine.reset()
    seen[0].reset()
