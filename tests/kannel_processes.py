"""A real Kannel for tests: bearerbox + smsbox from Debian's `kannel`, `fakesmsc` from `kannel-extras`.

bearerbox runs a fake SMSC link (`smsc = fake`); `fakesmsc` connects to it, injects
mobile-originated messages and prints each message Kannel sends (`Got message N: <from to
type text>`). The link serves one fakesmsc client at a time, so a test keeps one FakeSMSC
open per step. Every port is a free one on 127.0.0.1; configs and logs go under a tmp dir.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BEARERBOX, SMSBOX = Path("/usr/sbin/bearerbox"), Path("/usr/sbin/smsbox")
FAKESMSC = Path("/usr/lib/kannel/test/fakesmsc")
USERNAME, PASSWORD, SHORT_CODE = "melek", "kannel-test-password", "98188"
GOT = re.compile(r"Got message \d+: <(\S+) (\S+) (\S+) (.*)>$")


def kannel_missing() -> str | None:
    """Why a real Kannel cannot run here, in one line; None when it can."""
    missing = [str(p) for p in (BEARERBOX, SMSBOX, FAKESMSC) if not os.access(p, os.X_OK)]
    return f"Kannel not installed (apt-get install kannel kannel-extras): {', '.join(missing)}" if missing else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


CONFIG = """\
group = core
admin-port = {admin}
admin-password = {password}
admin-interface = 127.0.0.1
smsbox-port = {smsbox}
smsbox-interface = 127.0.0.1
log-file = "{dir}/bearerbox.log"
log-level = 1
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = FAKE
port = {fake}
our-host = 127.0.0.1
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {smsbox}
sendsms-port = {sendsms}
sendsms-interface = 127.0.0.1
log-file = "{dir}/smsbox.log"
log-level = 1
http-request-retry = 3
http-queue-delay = 1

group = sendsms-user
username = {username}
password = {password}
default-sender = {short_code}
concatenation = true
max-messages = 10

group = sms-service
keyword = default
catch-all = true
get-url = "{melek}/sms/kannel/inbound?token={token}&from=%p&to=%P&text=%b&id=%I&time=%t&smsc=%i&coding=%c&charset=%C"
omit-empty = true
max-messages = 0
"""


@dataclass
class Kannel:
    """A running bearerbox + smsbox pair."""

    directory: Path
    fake_port: int
    sendsms_port: int
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def sendsms_url(self) -> str:
        return f"http://127.0.0.1:{self.sendsms_port}/cgi-bin/sendsms"

    def stop(self) -> None:
        """Stop smsbox, then bearerbox (the processes this object started)."""
        for process in reversed(self.processes):
            process.terminate()
        for process in reversed(self.processes):
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


def start_kannel(directory: Path, melek_url: str, token: str) -> Kannel:
    """Write a config under `directory` and start bearerbox and smsbox on free ports."""
    ports = {"admin": free_port(), "smsbox": free_port(), "fake": free_port(), "sendsms": free_port()}
    conf = directory / "kannel.conf"
    conf.write_text(
        CONFIG.format(
            dir=directory, melek=melek_url, token=token, username=USERNAME, password=PASSWORD,
            short_code=SHORT_CODE, **ports,
        )
    )  # fmt: skip
    kannel = Kannel(directory, ports["fake"], ports["sendsms"])
    try:
        for binary, port in ((BEARERBOX, ports["smsbox"]), (SMSBOX, ports["sendsms"])):
            with (directory / f"{binary.name}.out").open("ab") as out:
                process = subprocess.Popen([str(binary), str(conf)], stdout=out, stderr=out)
            kannel.processes.append(process)
            wait_for_port(port, process)
    except BaseException:
        kannel.stop()
        raise
    return kannel


class FakeSMSC:
    """One `fakesmsc` client: injects `mo` (each "sender receiver text ...") and records what it gets."""

    def __init__(self, kannel: Kannel, *mo: str, count: int | None = None, interval: float = 0.01) -> None:
        """`count`: how many to inject, each picked at random among `mo` (default: len(mo)), `interval` s apart."""
        total = str(count if count is not None else len(mo))
        args = list(mo) or [f"0 {SHORT_CODE} text unused"]  # -m 0: listen only
        port = str(kannel.fake_port)
        command = [str(FAKESMSC), "-H", "127.0.0.1", "-r", port, "-i", str(interval), "-m", total, *args]
        self.received: list[tuple[str, str, str, str]] = []  # (from, to, type, text)
        self.lock = threading.Lock()
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            match = GOT.search(line.decode("utf-8", errors="replace").rstrip())
            if match:
                with self.lock:
                    self.received.append(match.groups())  # type: ignore[arg-type]

    def wait_for(self, count: int, timeout: float = 15.0) -> list[tuple[str, str, str, str]]:
        """The first `count` messages received, waiting for them up to `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.02)
        raise TimeoutError(f"fakesmsc got {len(self.received)} of {count} messages")

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(5)
        self.reader.join(5)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> FakeSMSC:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
