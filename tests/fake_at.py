"""A fake Africa's Talking SMS API on loopback: real HTTP, records requests, scriptable answers.

Each request to `/version1/messaging` is recorded (form fields, headers, the client's
address: one address for several requests means a kept-alive connection). What it answers
comes from a script: a list of steps consumed one per request (`http=500`, `delay=2.0`,
`drop=True`), then per-number status codes (`codes`), else 101 Success for every number.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs

from tests.fake_http import FakeServer, serving

STATUS_NAMES = {100: "Processed", 101: "Success", 102: "Queued", 403: "InvalidPhoneNumber", 406: "UserInBlacklist"}
STATUS_NAMES |= {500: "InternalServerError", 501: "GatewayError", 502: "RejectedByGateway"}


@dataclass
class Step:
    """How to answer one request: an HTTP error status, a delay, or a dropped connection."""

    http: int = 200
    delay: float = 0.0
    drop: bool = False
    codes: dict[str, int] = field(default_factory=dict)
    content_type: str = "application/json"  # the SDK parses JSON only for exactly this


class FakeAT(FakeServer):
    """The server; `requests` holds every request's form fields, in order."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.script: list[Step] = []
        self.codes: dict[str, int] = {}  # number -> statusCode, for every request
        self.lock = threading.Lock()
        self.counter = 0
        super().__init__(_Handler)

    @property
    def url(self) -> str:
        return self.base_url

    def numbers_sent(self) -> list[str]:
        """Every number in every request, in order (repeats included)."""
        return [n for r in self.requests for n in r["to"].split(",")]

    def next_step(self) -> Step:
        with self.lock:
            return self.script.pop(0) if self.script else Step()

    def answer(self, form: dict[str, str], step: Step) -> dict[str, Any]:
        recipients = []
        for number in form.get("to", "").split(","):
            code = step.codes.get(number, self.codes.get(number, 101))
            entry: dict[str, Any] = {"statusCode": code, "number": number, "status": STATUS_NAMES.get(code, "Error")}
            if code in (100, 101, 102):
                with self.lock:
                    self.counter += 1
                    entry |= {"messageId": f"ATXid_fake{self.counter}", "cost": "IDR 300.0000"}
            else:
                entry |= {"messageId": "None", "cost": "0"}
            recipients.append(entry)
        ok = sum(1 for r in recipients if r["statusCode"] in (100, 101, 102))
        return {"SMSMessageData": {"Message": f"Sent to {ok}/{len(recipients)}", "Recipients": recipients}}


class _Handler(BaseHTTPRequestHandler):
    fake: FakeAT
    protocol_version = "HTTP/1.1"  # keep-alive, like AT's own front end; every answer has a length
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        return

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        form = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
        with self.fake.lock:
            self.fake.requests.append(
                {**form, "_path": self.path, "_apikey": self.headers.get("apiKey"), "_client": self.client_address}
            )
        step = self.fake.next_step()
        if step.delay:
            time.sleep(step.delay)
        if step.drop:
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if step.http != 200:
            payload = b"The service is unavailable"
            self.send_response(step.http)
            self.send_header("Content-Type", "text/plain")
        else:
            payload = json.dumps(self.fake.answer(form, step)).encode()
            self.send_response(201)
            self.send_header("Content-Type", step.content_type)  # exactly: the SDK checks equality
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def running_fake() -> Iterator[FakeAT]:
    """Start a fake, yield it, stop it (for a pytest fixture or a benchmark)."""
    yield from serving(FakeAT())
