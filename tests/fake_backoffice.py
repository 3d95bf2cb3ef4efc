"""A small external back office for tests: JSON over HTTP, and it can be slow, fail or lie.

`FakeBackOffice.script` is a list of behaviours consumed one per request ("ok", "slow",
"500", "400", "garbage", "badref"); when it is empty every request is "ok".
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from menus.refs import make_reference

TOKEN = "test-backoffice-token"


class FakeBackOffice:
    """State shared by the handler threads: records by idempotency key, requests seen."""

    def __init__(self, slow_seconds: float = 3.0) -> None:
        self.script: list[str] = []
        self.slow_seconds = slow_seconds
        self.records: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.url = ""

    def next_behaviour(self) -> str:
        with self.lock:
            return self.script.pop(0) if self.script else "ok"

    def file(self, body: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        with self.lock:
            existing = self.records.get(body["idempotency_key"])
            if existing:
                return existing, False
            ref = make_reference(f"{secrets.randbelow(10**9):09d}")
            now = datetime.now(UTC).isoformat()
            record = {**body, "ref": ref, "status": "diterima", "created_at": now}
            record["history"] = [{"status": "diterima", "at": now, "note": ""}]
            self.records[body["idempotency_key"]] = record
            return record, True

    def by_ref(self, ref: str) -> dict[str, Any] | None:
        return next((r for r in self.records.values() if r["ref"] == ref), None)


def make_handler(state: FakeBackOffice) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def answer(self, status: int, body: Any, raw: bytes | None = None) -> None:
            data = raw if raw is not None else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def handle_one(self, method: str) -> None:
            state.requests.append((method, self.path))
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self.answer(401, {"error": "unauthorised"})
            behaviour = state.next_behaviour()
            if behaviour == "slow":
                time.sleep(state.slow_seconds)
            if behaviour in ("500", "400"):
                return self.answer(int(behaviour), {"error": behaviour})
            if behaviour == "garbage":
                return self.answer(200, None, raw=b"<html>maintenance</html>")
            if method == "POST" and self.path == "/reports":
                length = int(self.headers.get("Content-Length", 0))
                record, created = state.file(json.loads(self.rfile.read(length)))
                ref = "1234567891" if behaviour == "badref" else record["ref"]
                return self.answer(201 if created else 200, {"ref": ref, "created": created})
            if method == "GET" and self.path.startswith("/records/"):
                record = state.by_ref(self.path.rsplit("/", 1)[1])
                return self.answer(200, record) if record else self.answer(404, {"error": "not found"})
            return self.answer(404, {"error": "no such path"})

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self.handle_one("GET")

        def do_POST(self) -> None:  # noqa: N802
            self.handle_one("POST")

    return Handler


class QuietServer(ThreadingHTTPServer):
    """No traceback when a killed client leaves a request half-answered (the kill test)."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


@contextmanager
def running_fake_backoffice(slow_seconds: float = 3.0) -> Iterator[FakeBackOffice]:
    """Serve a FakeBackOffice on a free local port for the duration of the block."""
    state = FakeBackOffice(slow_seconds)
    server = QuietServer(("127.0.0.1", 0), make_handler(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
