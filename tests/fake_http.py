"""What every fake gateway server shares: a threaded HTTP server on a free loopback port."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeVar


class FakeServer:
    """Serves `handler_class` (its handlers see this object as `self.fake`) on 127.0.0.1."""

    def __init__(self, handler_class: type[BaseHTTPRequestHandler]) -> None:
        handler = type("Handler", (handler_class,), {"fake": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


Fake = TypeVar("Fake", bound=FakeServer)


def serving(fake: Fake) -> Iterator[Fake]:
    """Start the fake, yield it, stop it (for a pytest fixture or a benchmark)."""
    fake.thread.start()
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()
