"""An external back office speaking JSON over HTTP (BACKOFFICE=http); see docs/backoffice.md.

Every call has connect and read timeouts, a few quick retries with backoff, and goes
through a circuit breaker in Redis. Timeouts, 5xx, 408/429 and malformed answers are
transient (the job is retried later); other 4xx answers are permanent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import requests
from flask import Flask

from app.backoffice.base import (
    Filed,
    NewReport,
    PermanentError,
    RecordView,
    StatusEntry,
    TransientError,
)
from app.backoffice.breaker import CircuitBreaker
from app.redis_client import get_redis
from menus.refs import is_valid_reference

T = TypeVar("T")
RETRYABLE_STATUS = frozenset({408, 425, 429})


class BadAnswer(TransientError):
    """The back office answered, but not with what the protocol promises."""


def _when(raw: Any) -> datetime:
    return datetime.fromisoformat(str(raw).replace("Z", "+00:00"))


def parse_record(body: Any) -> RecordView:
    """A record document: {"ref", "report_type", "regency_code", "status", "fields", "created_at", "history"}."""
    history = [StatusEntry(h["status"], _when(h["at"]), h.get("note", "")) for h in body.get("history", [])]
    return RecordView(
        ref=str(body["ref"]),
        report_type=str(body["report_type"]),
        regency_code=str(body["regency_code"]),
        status=str(body["status"]),
        fields=dict(body.get("fields", {})),
        created_at=_when(body["created_at"]),
        official_id=body.get("official_id"),
        history=history,
    )


class HttpBackOffice:
    """Client of the external back office's JSON API."""

    def __init__(
        self,
        base_url: str,
        token: str | None,
        breaker: CircuitBreaker,
        timeout: tuple[float, float] = (2.0, 5.0),
        retries: int = 2,
        backoff: float = 0.2,
    ) -> None:
        self.base_url, self.token, self.breaker = base_url.rstrip("/"), token, breaker
        self.timeout, self.retries, self.backoff = timeout, retries, backoff

    @classmethod
    def from_app(cls, app: Flask) -> HttpBackOffice:
        cfg = app.config
        breaker = CircuitBreaker(
            get_redis(app), "backoffice", int(cfg["BACKOFFICE_BREAKER_THRESHOLD"]), cfg["BACKOFFICE_BREAKER_COOLOFF"]
        )
        timeout = (float(cfg["BACKOFFICE_CONNECT_TIMEOUT"]), float(cfg["BACKOFFICE_READ_TIMEOUT"]))
        return cls(cfg["BACKOFFICE_URL"], cfg["BACKOFFICE_TOKEN"], breaker, timeout, int(cfg["BACKOFFICE_RETRIES"]))

    def file_report(self, report: NewReport) -> Filed:
        body = {
            "idempotency_key": report.idempotency_key,
            "report_type": report.report_type,
            "regency_code": report.regency_code,
            "official_id": report.official_id,
            "channel": report.channel,
            "fields": report.fields,
        }

        def parse(answer: Any) -> Filed:
            ref = str(answer["ref"])
            if not is_valid_reference(ref):
                raise ValueError(f"reference {ref!r} fails its check digit")
            return Filed(ref, created=bool(answer.get("created", True)))

        headers = {"Idempotency-Key": report.idempotency_key}
        result = self._call("POST", "/reports", parse, json=body, headers=headers)
        assert result is not None  # POST never answers "not found" successfully
        return result

    def find_record(self, ref: str) -> RecordView | None:
        return self._call("GET", f"/records/{ref}", parse_record, not_found_ok=True)

    def _call(
        self, method: str, path: str, parse: Callable[[Any], T], not_found_ok: bool = False, **kwargs: Any
    ) -> T | None:
        """One logical call: breaker check, attempts with backoff, one breaker verdict."""
        self.breaker.before_call()
        headers = {"Accept": "application/json", **kwargs.pop("headers", {})}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        problem: TransientError = TransientError("no attempt made")
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                response = requests.request(
                    method, self.base_url + path, headers=headers, timeout=self.timeout, **kwargs
                )
            except requests.RequestException as exc:  # timeouts, refused, reset
                problem = TransientError(f"{method} {path}: {type(exc).__name__}")
                continue
            if response.status_code == 404 and not_found_ok:
                self.breaker.record_success()
                return None
            if response.status_code >= 500 or response.status_code in RETRYABLE_STATUS:
                problem = TransientError(f"{method} {path}: HTTP {response.status_code}")
                continue
            if response.status_code >= 400:
                self.breaker.record_success()  # it is alive; our request is what is wrong
                raise PermanentError(f"{method} {path}: HTTP {response.status_code}")
            try:
                result = parse(response.json())
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                problem = BadAnswer(f"{method} {path}: unexpected answer ({type(exc).__name__})")
                continue
            self.breaker.record_success()
            return result
        self.breaker.record_failure()
        raise problem
