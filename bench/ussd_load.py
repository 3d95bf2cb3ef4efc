"""Simulated handsets: complete USSD sessions over real HTTP, timed per hop (asyncio, no deps).

Each session dials, enters its PIN and walks a menu as an official does, sending the
cumulative `text` and a fresh `sessionId` exactly as the gateway does. Two modes: flat out
(N handsets, each starting its next session as soon as one ends) and fixed rate (sessions
arrive so that hops are sent at R per second, with a think time between an official's hops).
"""

from __future__ import annotations

import asyncio
import random
import time
import urllib.parse
from dataclasses import dataclass, field

from bench.registry_data import msisdn
from bench.ussd_data import PIN

# Dial, PIN, then: announcements, read one, home, account, info, home, report, price, page 2, home.
WALK = ["", PIN, "3", "1", "00", "4", "3", "00", "1", "2", "98", "00"]
KINDS = ["dial", "pin"] + ["menu"] * (len(WALK) - 2)


@dataclass
class Tally:
    """Latencies (seconds) per hop kind, and what went wrong."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in ("dial", "pin", "menu")})
    hops: int = 0
    errors: int = 0  # no answer, not HTTP 200, or not CON/END
    busy: int = 0  # the busy END screen
    wrong: int = 0  # an END where the walk expected CON

    def merge(self, other: Tally) -> None:
        for kind, values in other.latencies.items():
            self.latencies[kind].extend(values)
        self.hops += other.hops
        self.errors += other.errors
        self.busy += other.busy
        self.wrong += other.wrong


async def post(host: str, port: int, body: bytes) -> tuple[int, str]:
    """One POST /ussd on a new connection (gunicorn's sync workers close after each answer)."""
    reader, writer = await asyncio.open_connection(host, port)
    head = (
        f"POST /ussd HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    writer.write(head.encode() + body)
    data = await reader.read()
    writer.close()
    status_line, _, rest = data.partition(b"\r\n")
    status = int(status_line.split()[1]) if status_line else 0
    return status, rest.partition(b"\r\n\r\n")[2].decode(errors="replace")


async def session(host: str, port: int, handsets: int, tally: Tally, think: float, seq: str) -> None:
    """One complete session from a random handset of the registry."""
    phone = msisdn(random.randrange(handsets))
    sid = f"ATUid_bench_{seq}"
    inputs: list[str] = []
    for i, inp in enumerate(WALK):
        if i:
            inputs.append(inp)
            if think:
                await asyncio.sleep(think)
        form = {"sessionId": sid, "serviceCode": "*818#", "phoneNumber": phone, "networkCode": "51010"}
        body = urllib.parse.urlencode(form | {"text": "*".join(inputs)}).encode()
        started = time.perf_counter()
        try:
            status, screen = await post(host, port, body)
        except OSError:
            tally.errors += 1
            return
        tally.latencies[KINDS[i]].append(time.perf_counter() - started)
        tally.hops += 1
        if status != 200 or not screen.startswith(("CON ", "END ")):
            tally.errors += 1
            return
        if "sibuk" in screen:
            tally.busy += 1
            return
        if screen.startswith("END "):
            tally.wrong += 1
            return


async def flat_out(host: str, port: int, handsets: int, concurrency: int, seconds: float, tag: str) -> Tally:
    """`concurrency` handsets, each dialling again as soon as its session ends."""
    tally = Tally()
    ends = time.monotonic() + seconds

    async def handset(h: int) -> None:
        n = 0
        while time.monotonic() < ends:
            await session(host, port, handsets, tally, 0.0, f"{tag}_{h}_{n}")
            n += 1

    await asyncio.gather(*(handset(h) for h in range(concurrency)))
    return tally


async def fixed_rate(host: str, port: int, handsets: int, rate: float, seconds: float, think: float, tag: str) -> Tally:
    """Sessions arriving at rate/len(WALK) per second, so hops go out at `rate` per second."""
    tally = Tally()
    interval = len(WALK) / rate
    tasks = []
    started = time.monotonic()
    n = 0
    while (due := started + n * interval) < started + seconds:
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        tasks.append(asyncio.create_task(session(host, port, handsets, tally, think, f"{tag}_{n}")))
        n += 1
    await asyncio.gather(*tasks)
    return tally


def run_flat_out(args: tuple[str, int, int, int, float, str]) -> Tally:
    """Process-pool entry point for flat_out."""
    return asyncio.run(flat_out(*args))


def run_fixed_rate(args: tuple[str, int, int, float, float, float, str]) -> Tally:
    """Process-pool entry point for fixed_rate."""
    return asyncio.run(fixed_rate(*args))
