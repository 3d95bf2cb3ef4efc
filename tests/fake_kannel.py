"""A fake smsbox `sendsms` on loopback: real HTTP, records requests, scriptable answers.

Each GET to `/cgi-bin/sendsms` is recorded (query fields, the client's address: one
address for several requests means a kept-alive connection, and the status answered). What
it answers comes from a script, one step per request in arrival order (`status`, `body`,
`delay`, `drop`), else `202 0: Accepted for delivery`, as smsbox does.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.fake_http import FakeServer, serving


@dataclass
class Step:
    """How to answer one request."""

    status: int = 202
    body: str = "0: Accepted for delivery"
    delay: float = 0.0
    drop: bool = False


class FakeSendsms(FakeServer):
    """The server; `requests` holds every request's query fields, in order."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.script: list[Step] = []
        self.lock = threading.Lock()
        super().__init__(_Handler)

    @property
    def url(self) -> str:
        return self.base_url + "/cgi-bin/sendsms"

    def numbers_sent(self) -> list[str]:
        return [r["to"] for r in self.requests]


class _Handler(BaseHTTPRequestHandler):
    fake: FakeSendsms
    protocol_version = "HTTP/1.1"  # keep-alive, as smsbox does
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        fields = dict(parse_qsl(url.query, keep_blank_values=True))
        with self.fake.lock:  # the step and the record together: requests may come in parallel
            step = self.fake.script.pop(0) if self.fake.script else Step()
            self.fake.requests.append(
                {**fields, "_path": url.path, "_client": self.client_address, "_status": step.status}
            )
        if step.delay:
            time.sleep(step.delay)
        if step.drop:
            self.close_connection = True
            self.connection.shutdown(2)
            return
        payload = step.body.encode()
        self.send_response(step.status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def running_fake() -> Iterator[FakeSendsms]:
    """Start a fake, yield it, stop it (for a pytest fixture or a benchmark)."""
    yield from serving(FakeSendsms())
