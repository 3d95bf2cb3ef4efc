"""Outages a test owns: a redis-server of its own, a TCP proxy in front of PostgreSQL, a gateway.

Never the shared servers: the Redis is started on a free port with no persistence, and the
database is cut by closing the proxy, not by stopping PostgreSQL.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from http.client import HTTPConnection
from urllib.parse import urlencode

import redis as redis_lib


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(condition: Callable[[], bool], timeout: float, step: float = 0.2) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(step)
    return condition()


class OwnRedis:
    """A redis-server on a free port of 127.0.0.1, without persistence: a restart starts empty."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis_lib.Redis(port=self.port, socket_connect_timeout=0.2)
        try:
            assert wait_until(self._answers(client), 10), "own redis-server did not start"
        finally:
            client.close()

    @staticmethod
    def _answers(client: redis_lib.Redis) -> Callable[[], bool]:
        def ping() -> bool:
            try:
                return bool(client.ping())
            except redis_lib.RedisError:
                return False

        return ping

    def kill(self) -> None:
        """SIGKILL this test's own redis-server: everything in it is gone."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None

    def client(self) -> redis_lib.Redis:
        return redis_lib.Redis.from_url(self.url)


class CuttableProxy:
    """A TCP proxy 127.0.0.1:port -> target; `cut()` drops every connection and refuses new ones."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self.open = True
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=2)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.sockets |= {client, upstream}
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            self._drop(source, sink)

    def _drop(self, *sockets: socket.socket) -> None:
        with self.lock:
            for sock in sockets:
                self.sockets.discard(sock)
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def cut(self) -> None:
        """The database is gone: every open connection breaks, new ones are closed at once."""
        self.open = False
        with self.lock:
            victims = list(self.sockets)
        self._drop(*victims)

    def restore(self) -> None:
        self.open = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


class Gateway:
    """Posts inbound SMS like Africa's Talking: each message again until it gets a 200."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.acknowledged: list[str] = []
        self.answers: dict[int, int] = {}  # HTTP status (0: no answer) -> how many times
        self.lock = threading.Lock()

    def deliver(self, messages: Iterable[tuple[str, str, str]], rate: float, give_up_after: float = 120) -> None:
        """POST (id, sender, text) at about `rate` per second, retrying each every 0.3 s until 200."""
        for gateway_id, sender, text in messages:
            body = urlencode({"from": sender, "to": "818", "text": text, "id": gateway_id, "linkId": "L"})
            end = time.monotonic() + give_up_after
            while time.monotonic() < end:
                status = self.post(body)
                with self.lock:
                    self.answers[status] = self.answers.get(status, 0) + 1
                if status == 200:
                    with self.lock:
                        self.acknowledged.append(gateway_id)
                    break
                time.sleep(0.3)
            time.sleep(1 / rate)

    def post(self, body: str) -> int:
        """One POST of an inbound SMS form; the HTTP status, or 0 when there was no answer."""
        conn = HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("POST", "/sms/inbound", body, {"Content-Type": "application/x-www-form-urlencoded"})
            response = conn.getresponse()
            response.read()
            return response.status
        except OSError:
            return 0
        finally:
            conn.close()
