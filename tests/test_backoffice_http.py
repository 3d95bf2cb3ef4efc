"""The HTTP back-office adapter against a local server that can be slow, fail or lie."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis as redis_lib
from flask import Flask

from app.backoffice import get_backoffice
from app.backoffice.base import NewReport, PermanentError, TransientError
from app.backoffice.breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker, CircuitOpen
from app.backoffice.http import BadAnswer, HttpBackOffice
from app.config import ConfigError
from tests.conftest import make_app
from tests.fake_backoffice import TOKEN, FakeBackOffice, running_fake_backoffice


class Clock:
    """Time that tests move forward by hand."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fake() -> Iterator[FakeBackOffice]:
    with running_fake_backoffice(slow_seconds=1.0) as server:
        yield server


def client(fake: FakeBackOffice, redis: redis_lib.Redis, clock: Clock | None = None, **kw: float) -> HttpBackOffice:
    breaker = CircuitBreaker(redis, "test", threshold=3, cooloff=30, clock=clock or Clock())
    return HttpBackOffice(fake.url, TOKEN, breaker, timeout=(0.5, kw.get("read", 0.5)), retries=2, backoff=0.01)


def report(key: str = "k1") -> NewReport:
    return NewReport(key, "harga", "6472", 7, "sms", {"komoditas": "beras", "harga": 14500})


def test_files_once_per_key_and_reads_the_record_back(fake: FakeBackOffice, redis: redis_lib.Redis) -> None:
    backoffice = client(fake, redis)
    first, second = backoffice.file_report(report()), backoffice.file_report(report())
    assert first.created and not second.created and first.ref == second.ref
    assert len(fake.records) == 1
    record = backoffice.find_record(first.ref)
    assert record is not None and (record.regency_code, record.status) == ("6472", "diterima")
    assert [h.status for h in record.history] == ["diterima"]
    assert backoffice.find_record("1234567891") is None


def test_a_5xx_is_retried_then_succeeds(fake: FakeBackOffice, redis: redis_lib.Redis) -> None:
    fake.script = ["500", "500"]
    assert client(fake, redis).file_report(report()).created
    assert [m for m, _ in fake.requests] == ["POST"] * 3


def test_a_slow_back_office_times_out_as_a_transient_error(fake: FakeBackOffice, redis: redis_lib.Redis) -> None:
    fake.script = ["slow", "slow", "slow"]
    with pytest.raises(TransientError):
        client(fake, redis, read=0.2).file_report(report())


@pytest.mark.parametrize("answer", ["garbage", "badref"])
def test_a_wrong_answer_is_not_believed(fake: FakeBackOffice, redis: redis_lib.Redis, answer: str) -> None:
    fake.script = [answer] * 3
    with pytest.raises(BadAnswer):
        client(fake, redis).file_report(report())


def test_a_4xx_is_permanent_and_not_retried(fake: FakeBackOffice, redis: redis_lib.Redis) -> None:
    fake.script = ["400"]
    with pytest.raises(PermanentError):
        client(fake, redis).file_report(report())
    assert len(fake.requests) == 1
    wrong_token = HttpBackOffice(fake.url, "wrong", CircuitBreaker(redis, "t2"), retries=0)
    with pytest.raises(PermanentError):
        wrong_token.find_record("1234567891")


def test_breaker_opens_after_failures_and_half_opens_after_cooloff(
    fake: FakeBackOffice, redis: redis_lib.Redis
) -> None:
    clock = Clock()
    backoffice = client(fake, redis, clock)
    fake.script = ["500"] * 9  # three calls of three attempts each
    for _ in range(3):
        with pytest.raises(TransientError):
            backoffice.file_report(report())
    assert backoffice.breaker.state() == OPEN
    seen = len(fake.requests)
    with pytest.raises(CircuitOpen):
        backoffice.file_report(report())
    assert len(fake.requests) == seen  # the dead back office is not even called
    clock.now += 31
    assert backoffice.breaker.state() == HALF_OPEN
    other_worker = client(fake, redis, clock)
    backoffice.breaker.before_call()  # this caller takes the single trial...
    with pytest.raises(CircuitOpen):
        other_worker.file_report(report())  # ...and the others keep waiting
    redis.delete(backoffice.breaker.trial_key)
    assert backoffice.file_report(report()).created  # the trial succeeds
    assert backoffice.breaker.state() == CLOSED


def test_a_failed_trial_reopens_the_circuit(fake: FakeBackOffice, redis: redis_lib.Redis) -> None:
    clock = Clock()
    backoffice = client(fake, redis, clock)
    fake.script = ["500"] * 12
    for _ in range(3):
        with pytest.raises(TransientError):
            backoffice.file_report(report())
    clock.now += 31
    with pytest.raises(TransientError):
        backoffice.file_report(report())  # the half-open trial fails
    assert backoffice.breaker.state() == OPEN


def test_the_http_back_office_is_chosen_by_setting(
    fake: FakeBackOffice, redis: redis_lib.Redis, tmp_path: Path
) -> None:
    app = make_app("sqlite:///" + str(tmp_path / "x.db"), tmp_path, BACKOFFICE="http", BACKOFFICE_URL=fake.url)
    with app.app_context():
        assert isinstance(get_backoffice(), HttpBackOffice)
    with pytest.raises(ConfigError, match="BACKOFFICE_URL"):
        make_app("sqlite:///" + str(tmp_path / "y.db"), tmp_path, BACKOFFICE="http")
    with pytest.raises(ConfigError, match="BACKOFFICE must be"):
        make_app("sqlite:///" + str(tmp_path / "z.db"), tmp_path, BACKOFFICE="ldap")


def test_an_app_filing_through_http_confirms_by_sms(fake: FakeBackOffice, demo: Flask) -> None:
    from sqlalchemy import select

    from app.extensions import db
    from app.models import OutboundMessage
    from tests.backoffice_helpers import payload
    from workers.reports import file_report

    demo.config.update(BACKOFFICE="http", BACKOFFICE_URL=fake.url, BACKOFFICE_TOKEN=TOKEN)
    body = payload(key="http-1")
    first, again = file_report(body), file_report(body)
    assert first["created"] and not again["created"] and first["ref"] == again["ref"]
    assert len(fake.records) == 1 and len(db.session.scalars(select(OutboundMessage)).all()) == 1


def test_status_command_shows_the_breaker(fake: FakeBackOffice, redis: redis_lib.Redis, tmp_path: Path) -> None:
    app = make_app("sqlite:///" + str(tmp_path / "s.db"), tmp_path, BACKOFFICE="http", BACKOFFICE_URL=fake.url)
    out = app.test_cli_runner().invoke(args=["backoffice-status"]).output
    assert "Back office: http" in out and f"URL: {fake.url}" in out and "Circuit breaker: closed" in out
